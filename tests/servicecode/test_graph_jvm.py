"""Java/Kotlin: a Maven or Gradle module -> its main sources and its modules' sources."""

from __future__ import annotations

from pathlib import Path

from tests.servicecode._graphtree import notes_text, resolve

POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  {parent}
  <artifactId>{artifact}</artifactId>
  {extra}
</project>
"""
PARENT = "<parent><groupId>com.acme</groupId><artifactId>shop</artifactId></parent>"


def pom(artifact: str, extra: str = "", parent: str = PARENT) -> str:
    return POM.format(parent=parent, artifact=artifact, extra=extra)


def dep(artifact: str, group: str = "${project.groupId}", scope: str = "") -> str:
    scope_xml = f"<scope>{scope}</scope>" if scope else ""
    coordinates = f"<groupId>{group}</groupId><artifactId>{artifact}</artifactId>"
    return f"<dependency>{coordinates}{scope_xml}</dependency>"


MAVEN = {
    "pom.xml": pom(
        "shop",
        "<packaging>pom</packaging><modules><module>api</module><module>core</module>"
        "<module>cli</module><module>testkit</module></modules>",
        parent="<groupId>com.acme</groupId>",
    ),
    "api/pom.xml": pom(
        "api",
        "<dependencies>"
        + dep("core")
        + dep("testkit", scope="test")
        + dep("spring-boot-starter", group="org.springframework.boot")
        + "</dependencies>",
    ),
    "api/src/main/java/com/acme/api/Api.java": "package com.acme.api;\nclass Api {}\n",
    "api/src/test/java/com/acme/api/ApiTest.java": "class ApiTest {}\n",
    "api/src/main/docker/Dockerfile.jvm": "FROM eclipse-temurin\n",
    "core/pom.xml": pom("core"),
    "core/src/main/kotlin/com/acme/core/Core.kt": "package com.acme.core\n",
    "core/src/main/java/com/acme/core/Repo.java": "package com.acme.core;\n",
    "cli/pom.xml": pom("cli", "<dependencies>" + dep("core") + "</dependencies>"),
    "cli/src/main/java/com/acme/cli/Cli.java": "class Cli {}\n",
    "testkit/pom.xml": pom("testkit"),
    "testkit/src/main/java/com/acme/testkit/Kit.java": "class Kit {}\n",
}


def test_maven_module_and_its_sibling_dependencies(tmp_path: Path) -> None:
    result = resolve(tmp_path, MAVEN, "java", "jvm-module", "api")
    assert result.files == {
        "api/src/main/java/com/acme/api/Api.java",
        "core/src/main/kotlin/com/acme/core/Core.kt",
        "core/src/main/java/com/acme/core/Repo.java",
    }
    assert result.complete, result.notes


def test_maven_aggregator_takes_its_modules(tmp_path: Path) -> None:
    result = resolve(tmp_path, MAVEN, "java", "jvm-module", ".")
    assert "cli/src/main/java/com/acme/cli/Cli.java" in result.files
    assert "aggregator" in notes_text(result)


def test_maven_custom_source_directory_and_broken_pom(tmp_path: Path) -> None:
    tree = {
        "svc/pom.xml": pom(
            "svc", "<build><sourceDirectory>${project.basedir}/java</sourceDirectory></build>"
        ),
        "svc/java/Main.java": "class Main {}\n",
        "svc/src/main/java/Ignored.java": "class Ignored {}\n",
        "bad/pom.xml": "<project><artifactId>bad</artifactId>",
        "bad/src/main/java/B.java": "class B {}\n",
    }
    assert resolve(tmp_path, tree, "java", "jvm-module", "svc").files == {"svc/java/Main.java"}
    bad = resolve(tmp_path, tree, "java", "jvm-module", "bad")
    assert not bad.complete
    assert "bad/pom.xml" in notes_text(bad)


KTS = {
    "settings.gradle.kts": """
        rootProject.name = "shop"
        include(":services:orders", ":libs:common", ":tools")
        include("libs:fancy-name")
        project(":tools").projectDir = file("devtools")
    """,
    "build.gradle.kts": """
        subprojects {
            dependencies {
                "implementation"(project(":libs:base"))
            }
        }
        buildscript { dependencies { classpath(project(":tools")) } }
    """,
    "services/orders/build.gradle.kts": """
        plugins { kotlin("jvm") }
        dependencies {
            implementation(project(":libs:common"))
            implementation(projects.libs.fancyName)
            testImplementation(project(":tools"))
            compileOnly(project(path = ":libs:annotations"))
        }
    """,
    "services/orders/src/main/kotlin/Orders.kt": "package orders\n",
    "services/orders/src/test/kotlin/OrdersTest.kt": "package orders\n",
    "libs/common/build.gradle.kts": "",
    "libs/common/src/main/java/Common.java": "class Common {}\n",
    "libs/fancy-name/src/main/kotlin/Fancy.kt": "package fancy\n",
    "libs/base/src/main/kotlin/Base.kt": "package base\n",
    "libs/annotations/src/main/java/Ann.java": "@interface Ann {}\n",
    "devtools/src/main/kotlin/Tool.kt": "package tools\n",
    "services/billing/build.gradle.kts": "",
    "services/billing/src/main/kotlin/Billing.kt": "package billing\n",
}


def test_gradle_kotlin_dsl_project_dependencies(tmp_path: Path) -> None:
    tree = dict(KTS)
    tree["settings.gradle.kts"] += 'include(":libs:base", ":libs:annotations")\n'
    result = resolve(tmp_path, tree, "kotlin", "jvm-module", "services/orders")
    assert result.files == {
        "services/orders/src/main/kotlin/Orders.kt",
        "libs/common/src/main/java/Common.java",
        "libs/fancy-name/src/main/kotlin/Fancy.kt",
        "libs/base/src/main/kotlin/Base.kt",  # from the root's subprojects { }
    }
    assert result.complete, result.notes


def test_gradle_unknown_project_dependency_is_noted(tmp_path: Path) -> None:
    result = resolve(tmp_path, KTS, "kotlin", "jvm-module", "services/orders")
    assert not result.complete
    assert ":libs:base" in notes_text(result)  # not included in settings


GROOVY = {
    "settings.gradle": "rootProject.name = 'app'\ninclude 'app', 'lib'\ninclude(':extra')\n",
    "app/build.gradle": """
        plugins { id 'java' }
        dependencies {
            implementation project(':lib')
            api project(path: ':extra', configuration: 'default')
            testImplementation project(':testing')
            annotationProcessor project(':processor')
            implementation "org.slf4j:slf4j-api:${slf4jVersion}"
        }
        sourceSets { main { java { srcDirs = ['src/main/java', 'gen'] } } }
    """,
    "app/src/main/java/App.java": "class App {}\n",
    "lib/build.gradle": "dependencies {\n    implementation(project(':extra'))\n}\n",
    "lib/src/main/java/Lib.java": "class Lib {}\n",
    "extra/src/main/kotlin/Extra.kt": "package extra\n",
    "testing/src/main/java/T.java": "class T {}\n",
    "processor/src/main/java/P.java": "class P {}\n",
}


def test_gradle_groovy_dsl_project_dependencies(tmp_path: Path) -> None:
    result = resolve(tmp_path, GROOVY, "java", "jvm-module", "app")
    assert result.files == {
        "app/src/main/java/App.java",
        "lib/src/main/java/Lib.java",
        "extra/src/main/kotlin/Extra.kt",
    }
    assert not result.complete  # sourceSets are configured and not read
    assert "sourceSets" in notes_text(result)


def test_module_without_build_file(tmp_path: Path) -> None:
    tree = {
        "svc/src/main/java/A.java": "class A {}\n",
        "other/src/main/java/B.java": "class B {}\n",
    }
    result = resolve(tmp_path, tree, "java", "jvm-module", "svc")
    assert result.files == {"svc/src/main/java/A.java"}
    assert not result.complete
