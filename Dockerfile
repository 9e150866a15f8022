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
# dcmtk and GDCM's tools decompress images for a PACS that refuses compressed ones (a per-destination setting).
RUN apt-get update && apt-get install -y --no-install-recommends curl dcmtk libgdcm-tools && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /var/lib/relaypacs relaypacs \
    && mkdir -p /var/lib/relaypacs && chown relaypacs /var/lib/relaypacs
COPY --from=build /relaypacs.jar /opt/relaypacs/relaypacs.jar
USER relaypacs
ENV RELAYPACS_DATA_DIR=/var/lib/relaypacs SERVER_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD curl -fs http://localhost:8080/actuator/health || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/relaypacs/relaypacs.jar"]
