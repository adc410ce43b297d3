package io.latchkey.resource;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** No cycles between the resource-server library's packages. */
class PackageStructureTests {

	@Test
	void packagesWhenImportedThenFreeOfCycles() {
		JavaClasses library = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.latchkey.resource");
		slices().matching("io.latchkey.resource.(*)..").should().beFreeOfCycles().check(library);
	}

}
