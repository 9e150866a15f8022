# Build: Temurin 25 JDK with Maven and Debian's PixelMed.
FROM eclipse-temurin:25-jdk AS build
RUN apt-get update && apt-get install -y --no-install-recommends maven libpixelmed-java npm zip unzip \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY bin/setup bin/setup
COPY pom.xml .
COPY src src
# bin/setup installs PixelMed (without Debian's Class-Path entry) into the local Maven repository.
RUN JAVA_HOME=/opt/java/openjdk RELAYPACS_SKIP_APT=1 bash bin/setup \
    && mvn -B -q -DskipTests package && cp target/relaypacs-*.jar /relaypacs.jar

# Run: Temurin 25 JRE as a non-root user.
FROM eclipse-temurin:25-jre
# dcmtk and GDCM's tools decompress images for a PACS that refuses compressed ones (a per-destination setting); curl
# and openssl serve the health check and the training run below.
RUN apt-get update && apt-get install -y --no-install-recommends curl openssl dcmtk libgdcm-tools && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /var/lib/relaypacs relaypacs \
    && mkdir -p /var/lib/relaypacs && chown relaypacs /var/lib/relaypacs
COPY --from=build /relaypacs.jar /tmp/relaypacs.jar
COPY bin/aot-cache /opt/relaypacs/bin/aot-cache
# The jar laid out with its libraries, and the JVM's ahead-of-time cache trained by this image's own JVM (start-up,
# sign-in, a few hundred chunks): an instance is ready in about half the time, which matters when scaling out.
RUN JAVA_OPTS="-XX:MaxRAMPercentage=75" /opt/relaypacs/bin/aot-cache /tmp/relaypacs.jar /opt/relaypacs && rm /tmp/relaypacs.jar
USER relaypacs
ENV RELAYPACS_DATA_DIR=/var/lib/relaypacs SERVER_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD curl -fs http://localhost:8080/actuator/health || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:AOTCache=/opt/relaypacs/relaypacs.aot", "-jar", "/opt/relaypacs/relaypacs.jar"]
