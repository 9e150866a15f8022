package io.relaypacs.forward;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

interface OutboxRepository extends JpaRepository<OutboxInstance, Long> {

    List<OutboxInstance> findByUploadIdOrderByIdAsc(UUID uploadId);

    @Query("select i from OutboxInstance i where i.state in :states and i.nextAttemptAt <= :now order by i.nextAttemptAt, i.id")
    List<OutboxInstance> findDue(Collection<InstanceState> states, Instant now, Pageable page);

    List<OutboxInstance> findByStateAndUpdatedAtBefore(InstanceState state, Instant before);

    long countByUploadId(UUID uploadId);

    @Query("select i.state, count(i) from OutboxInstance i where i.uploadId = :uploadId group by i.state")
    List<Object[]> countByState(UUID uploadId);

    @Query("select i.uploadId, i.state, count(i) from OutboxInstance i where i.uploadId in :uploadIds group by i.uploadId, i.state")
    List<Object[]> countByUploadAndState(Collection<UUID> uploadIds);

    /** Of these uploads, those with an instance still on its way. */
    @Query("select distinct i.uploadId from OutboxInstance i where i.uploadId in :uploadIds and i.state in :pending")
    List<UUID> withPending(Collection<UUID> uploadIds, Collection<InstanceState> pending);

    long countByStateIn(Collection<InstanceState> states);

    List<OutboxInstance> findTop20ByStateOrderByUpdatedAtDesc(InstanceState state);
}
