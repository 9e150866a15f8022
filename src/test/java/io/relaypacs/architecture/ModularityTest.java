package io.relaypacs.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.relaypacs.RelayPacsApplication;
import jakarta.persistence.Entity;
import org.junit.jupiter.api.Test;
import org.springframework.data.repository.Repository;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.lang.conditions.ArchPredicates.are;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The boundaries of the application, checked rather than remembered: each feature package is a module (Spring
 * Modulith), modules depend on each other in one direction only, PixelMed stays in {@code dicom}, and a module's
 * entities and repositories are its own. The module picture is written to {@code target/spring-modulith-docs}.
 */
class ModularityTest {
    private static final ApplicationModules MODULES = ApplicationModules.of(RelayPacsApplication.class);
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.relaypacs");

    @Test
    void modulesAreFreeOfCyclesAndUseOnlyEachOthersApi() {
        MODULES.verify();
    }

    @Test
    void modulesDependOnEachOtherInOneDirection() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("ui").definedBy("io.relaypacs.ui..")
                .layer("retention").definedBy("io.relaypacs.retention..")
                .layer("upload").definedBy("io.relaypacs.upload..")
                .layer("ingest").definedBy("io.relaypacs.ingest..")
                .layer("forward").definedBy("io.relaypacs.forward..")
                .layer("security").definedBy("io.relaypacs.security..")
                .layer("dicom").definedBy("io.relaypacs.dicom..")
                .layer("storage").definedBy("io.relaypacs.storage..")
                .layer("audit").definedBy("io.relaypacs.audit..")
                .layer("base").definedBy("io.relaypacs.base..")
                .whereLayer("ui").mayNotBeAccessedByAnyLayer()
                .whereLayer("retention").mayOnlyBeAccessedByLayers("ui")
                .whereLayer("upload").mayOnlyBeAccessedByLayers("ui", "retention")
                .whereLayer("ingest").mayOnlyBeAccessedByLayers("upload")
                .whereLayer("forward").mayOnlyBeAccessedByLayers("ui", "upload")
                .whereLayer("security").mayOnlyBeAccessedByLayers("ui", "upload", "forward")
                .whereLayer("dicom").mayOnlyBeAccessedByLayers("upload", "ingest", "forward")
                .whereLayer("storage").mayOnlyBeAccessedByLayers("upload", "ingest", "forward", "retention")
                .whereLayer("audit").mayOnlyBeAccessedByLayers("ui", "retention", "upload", "forward", "security")
                .check(MAIN);
        slices().matching("io.relaypacs.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void pixelMedIsUsedOnlyInTheDicomModule() {
        noClasses().that().resideOutsideOfPackage("io.relaypacs.dicom..")
                .should().dependOnClassesThat().resideInAPackage("com.pixelmed..")
                .because("one package speaks DICOM through the toolkit; the rest sees records of its own")
                .check(MAIN);
    }

    @Test
    void viewsUseServicesNeverEntitiesOrRepositories() {
        noClasses().that().resideInAPackage("io.relaypacs.ui..")
                .should().dependOnClassesThat(are(persistent()))
                .because("views bind records that services return; entities stay behind their module's transactions")
                .check(MAIN);
    }

    @Test
    void aModulesEntitiesAndRepositoriesAreUsedOnlyInsideIt() {
        ArchRule rule = classes().that(are(persistent())).should(onlyBeUsedInTheirOwnModule());
        rule.check(MAIN);
    }

    @Test
    void writesTheModuleDocumentation() {
        new Documenter(MODULES).writeDocumentation();
    }

    /** The README's module picture is the modules' real dependencies, not a drawing that drifts from the code. */
    @Test
    void theReadmeShowsTheModulesAsTheyAre() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String picture = moduleGraph();
        Path docs = Files.createDirectories(Path.of("target", "spring-modulith-docs"));
        Files.writeString(docs.resolve("modules.mmd"), picture);
        assertThat(readme).as("README.md's module picture (regenerated in target/spring-modulith-docs/modules.mmd)")
                .contains("```mermaid\n" + picture + "```");
    }

    /** A Mermaid flowchart with one arrow per module that uses another, sorted so that it reads the same each time. */
    static String moduleGraph() {
        TreeSet<String> arrows = new TreeSet<>();
        MODULES.forEach(module -> module.getDirectDependencies(MODULES).uniqueModules()
                .forEach(target -> arrows.add("  " + module.getIdentifier() + " --> " + target.getIdentifier())));
        return "flowchart TD\n" + String.join("\n", arrows) + "\n";
    }

    private static DescribedPredicate<JavaClass> persistent() {
        return DescribedPredicate.describe("entities or repositories",
                c -> c.isAnnotatedWith(Entity.class) || assignableTo(Repository.class).test(c));
    }

    private static ArchCondition<JavaClass> onlyBeUsedInTheirOwnModule() {
        return new ArchCondition<>("be used only inside their own module") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                String module = moduleOf(item);
                for (Dependency d : item.getDirectDependenciesToSelf()) {
                    if (!moduleOf(d.getOriginClass()).equals(module)) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        };
    }

    private static String moduleOf(JavaClass c) {
        String rest = c.getPackageName().substring("io.relaypacs".length());
        return rest.isEmpty() ? "" : rest.substring(1).split("\\.")[0];
    }
}
