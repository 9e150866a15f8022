package io.relaypacs.forward;

import io.relaypacs.storage.BlobStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ForwardConfiguration {

    /** The primary PACS over DICOMweb; without a URL nothing is sent and instances wait in the outbox. */
    @Bean
    @ConditionalOnExpression("'${relaypacs.pacs.dicomweb-url:}' != ''")
    Destination primaryDestination(PacsProperties pacs, BlobStore store) {
        return new StowRsDestination(pacs.dicomwebUrl(), pacs.username(), pacs.password(), pacs.timeout(), store);
    }
}
