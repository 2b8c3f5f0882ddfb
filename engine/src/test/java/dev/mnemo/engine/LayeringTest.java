package dev.mnemo.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Packages are layers: value at the bottom, match on values, the engine on both; never upwards. */
class LayeringTest {
    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.mnemo.engine");

    @Test
    void valuePackage_dependsOnNothingAbove() {
        noClasses().that().resideInAPackage("dev.mnemo.engine.value..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.mnemo.engine", "dev.mnemo.engine.match..")
                .check(ENGINE);
    }

    @Test
    void matchPackage_doesNotDependOnTheEngine() {
        noClasses().that().resideInAPackage("dev.mnemo.engine.match..")
                .should().dependOnClassesThat().resideInAPackage("dev.mnemo.engine")
                .check(ENGINE);
    }

    @Test
    void valuesAndMatchSpecs_doNotTouchXodus() {
        noClasses().that().resideInAnyPackage("dev.mnemo.engine.value..", "dev.mnemo.engine.match..")
                .should().dependOnClassesThat().resideInAPackage("jetbrains.exodus..")
                .check(ENGINE);
    }
}
