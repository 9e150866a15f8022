package io.relaypacs.upload;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

interface UploadRepository extends JpaRepository<UploadSession, UUID> {

    List<UploadSession> findByStateOrderByUpdatedAtAsc(UploadState state, Pageable page);

    List<UploadSession> findByStateAndUpdatedAtBefore(UploadState state, Instant before, Pageable page);

    List<UploadSession> findByStateInAndExpiresAtBefore(Collection<UploadState> states, Instant before);

    @Query("select count(u) from UploadSession u where u.ownerId = :ownerId and u.state = io.relaypacs.upload.UploadState.RECEIVING")
    long countOpenUploads(long ownerId);

    @Query("select coalesce(sum(u.size), 0) from UploadSession u where u.ownerId = :ownerId and u.state = io.relaypacs.upload.UploadState.RECEIVING")
    long sumOpenBytes(long ownerId);

    @Query("select coalesce(sum(u.size), 0) from UploadSession u where u.ownerId = :ownerId and u.batchId = :batchId")
    long sumBatchBytes(long ownerId, String batchId);

    List<UploadSession> findByClinicIdOrderByCreatedAtDesc(long clinicId, Pageable page);

    List<UploadSession> findAllByOrderByCreatedAtDesc(Pageable page);

    /** Not yet purged, and either finished before {@code finishedBefore} or created before {@code createdBefore}. */
    @Query("select u.id from UploadSession u where u.purgedAt is null and ((u.state in :finished and u.updatedAt <= :finishedBefore) "
            + "or u.createdAt <= :createdBefore) order by u.createdAt")
    List<UUID> findDueForPurge(Collection<UploadState> finished, Instant finishedBefore, Instant createdBefore, Pageable page);

    @Query("select coalesce(sum(u.size), 0) from UploadSession u where u.state in :states")
    long sumSizeInStates(Collection<UploadState> states);

    @Query("select min(u.createdAt) from UploadSession u where u.state in :states")
    Instant oldestInStates(Collection<UploadState> states);

    @Query("select u.createdAt from UploadSession u where u.createdAt >= :since")
    List<Instant> createdSince(Instant since);

    @Query("select u from UploadSession u where u.state = io.relaypacs.upload.UploadState.DONE and u.updatedAt >= :since")
    List<UploadSession> deliveredSince(Instant since);

    List<UploadSession> findByStateInAndCreatedAtBeforeOrderByCreatedAtAsc(Collection<UploadState> states, Instant before);

    @Query("select u from UploadSession u where (:clinicId is null or u.clinicId = :clinicId) "
            + "and (:ownerId is null or u.ownerId = :ownerId) "
            + "and (:state is null or u.state = :state) and u.createdAt >= :from order by u.createdAt desc")
    List<UploadSession> search(Long clinicId, Long ownerId, UploadState state, Instant from, Pageable page);

    List<UploadSession> findByOwnerIdAndBatchIdOrderByCreatedAtAsc(long ownerId, String batchId);

    @Query("select u.state, count(u) from UploadSession u group by u.state")
    List<Object[]> countByState();
}
