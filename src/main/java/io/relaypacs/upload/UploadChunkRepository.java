package io.relaypacs.upload;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

import java.util.List;
import java.util.UUID;

interface UploadChunkRepository extends JpaRepository<UploadChunk, Long> {

    List<UploadChunk> findByUploadIdOrderByIndexAsc(UUID uploadId);

    @Query("select c.index from UploadChunk c where c.uploadId = :uploadId order by c.index")
    List<Integer> indexesOf(UUID uploadId);

    @Query("select coalesce(sum(c.length), 0) from UploadChunk c where c.uploadId = :uploadId")
    long bytesOf(UUID uploadId);

    @Modifying
    @Query("delete from UploadChunk c where c.uploadId = :uploadId")
    int deleteByUploadId(UUID uploadId);
}
