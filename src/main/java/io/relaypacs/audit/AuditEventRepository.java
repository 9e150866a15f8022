package io.relaypacs.audit;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.time.Instant;
import java.util.List;

interface AuditEventRepository extends JpaRepository<AuditEvent, Long> {

    @Query("select e from AuditEvent e where (:type is null or e.type = :type) "
            + "and (:actor is null or lower(e.actor) = lower(:actor)) and e.at >= :from order by e.at desc, e.id desc")
    List<AuditEvent> search(AuditEventType type, String actor, Instant from, Pageable page);
}
