"""Image provenance through Maven: the plugins of a module and its parents that build images."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.servicecode.buildfiles import parse_xml_lines
from envlint.servicecode.provenance import find_image_builds
from tests.conftest import run_lint

from ._helpers import entrypoints, programs

Project = Callable[[Mapping[str, str | bytes]], Path]


def builds(root: Path) -> set[tuple[str, str | None, str, str | None, str | None]]:
    ws = load_workspace(root, Settings(cache=False))
    return {
        (b.image, b.tag, b.context, b.dockerfile, b.program.target if b.program else None)
        for b in find_image_builds(ws.root, ws.files, ws.projects).builds
    }


def pom(inner: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<project xmlns="http://maven.apache.org/POM/4.0.0">\n'
        "  <modelVersion>4.0.0</modelVersion>\n" + inner + "</project>\n"
    )


# a parent whose `images` profile manages an exec-maven-plugin `docker build`; the module turns
# it on in its own `images` profile and moves the Dockerfile directory
PARENT = pom(
    """
  <groupId>com.acme</groupId>
  <artifactId>shop</artifactId>
  <version>2.1.0</version>
  <packaging>pom</packaging>
  <modules><module>orders</module></modules>
  <properties>
    <registry.prefix>acme</registry.prefix>
    <container.tool>docker</container.tool>
    <image.dir>${basedir}</image.dir>
  </properties>
  <profiles>
    <profile>
      <id>images</id>
      <build>
        <pluginManagement>
          <plugins>
            <plugin>
              <groupId>org.codehaus.mojo</groupId>
              <artifactId>exec-maven-plugin</artifactId>
              <executions>
                <execution>
                  <id>image</id>
                  <phase>install</phase>
                  <goals><goal>exec</goal></goals>
                  <configuration>
                    <executable>${container.tool}</executable>
                    <workingDirectory>${image.dir}</workingDirectory>
                    <arguments>
                      <argument>build</argument>
                      <argument>-f</argument>
                      <argument>jvm.Dockerfile</argument>
                      <argument>--build-arg</argument>
                      <argument>JAR=${project.build.finalName}</argument>
                      <argument>-t</argument>
                      <argument>${registry.prefix}/${project.artifactId}</argument>
                      <argument>${project.build.directory}</argument>
                    </arguments>
                  </configuration>
                </execution>
              </executions>
            </plugin>
          </plugins>
        </pluginManagement>
      </build>
    </profile>
  </profiles>
"""
)

ACTIVATE = """
  <profiles>
    <profile>
      <id>images</id>
      <build><plugins><plugin>
        <groupId>org.codehaus.mojo</groupId>
        <artifactId>exec-maven-plugin</artifactId>
      </plugin></plugins></build>
    </profile>
  </profiles>
"""


def module(extra: str = ACTIVATE) -> str:
    return pom(
        """
  <parent>
    <groupId>com.acme</groupId>
    <artifactId>shop</artifactId>
    <version>2.1.0</version>
  </parent>
  <artifactId>orders</artifactId>
  <properties><image.dir>${basedir}/../ops</image.dir></properties>
"""
        + extra
    )


SHOP = {
    "pom.xml": PARENT,
    "orders/pom.xml": module(),
    "ops/jvm.Dockerfile": (
        "FROM eclipse-temurin:17\nARG JAR\nCOPY ${JAR}.jar /srv/app.jar\n"
        'ENTRYPOINT ["java", "-jar", "/srv/app.jar"]\n'
    ),
    "orders/src/main/java/com/acme/orders/App.java": (
        "package com.acme.orders;\n\npublic class App {\n"
        "    public static void main(String[] args) {\n"
        '        int port = Integer.parseInt(System.getenv("ORDERS_PORT"));\n'
        "        System.out.println(port);\n    }\n}\n"
    ),
    "compose.yaml": "services:\n  orders:\n    image: acme/orders\n",
}


def test_an_exec_plugin_docker_build_in_a_parent_profile_builds_the_module(
    project: Project,
) -> None:
    root = project(SHOP)
    assert builds(root) == {
        ("docker.io/acme/orders", "latest", "orders/target", "ops/jvm.Dockerfile", "orders")
    }
    entry = entrypoints(root)["orders"]
    assert entry.program is not None
    assert (entry.program.kind, entry.program.target) == ("jvm-module", "orders")
    assert "the image acme/orders is built in this repository (pom.xml:" in entry.program.how
    (finding,) = [f for f in run_lint(root, cache=False).findings if f.code == "ENV201"]
    assert (finding.variable, finding.location.path) == (
        "ORDERS_PORT",
        "orders/src/main/java/com/acme/orders/App.java",
    )


def test_a_managed_plugin_the_module_does_not_run_builds_nothing(project: Project) -> None:
    root = project({**SHOP, "orders/pom.xml": module(extra="")})
    assert builds(root) == set()
    assert "found no build of its image acme/orders" in entrypoints(root)["orders"].note
    assert [f for f in run_lint(root, cache=False).findings if f.code == "ENV201"] == []


def test_a_parent_plugin_not_inherited_builds_nothing_in_the_module(project: Project) -> None:
    parent = PARENT.replace("<pluginManagement>", "").replace("</pluginManagement>", "")
    parent = parent.replace(
        "<artifactId>exec-maven-plugin</artifactId>",
        "<artifactId>exec-maven-plugin</artifactId><inherited>false</inherited>",
    )
    assert builds(project({**SHOP, "pom.xml": parent, "orders/pom.xml": module(extra="")})) == set()


def test_an_unknown_property_is_a_wildcard_in_a_name_and_drops_a_path(project: Project) -> None:
    parent = PARENT.replace("${registry.prefix}/", "${env.REGISTRY}/")
    root = project(
        {
            **SHOP,
            "pom.xml": parent,
            "compose.yaml": "services:\n  orders:\n    image: registry.acme.io/team/orders:2.1.0\n",
        }
    )
    assert builds(root) == {
        ("**/orders", "latest", "orders/target", "ops/jvm.Dockerfile", "orders")
    }
    assert programs(root)["orders"] == ("java", "jvm-module", "orders")
    moved = module().replace("${basedir}/../ops", "${ops.home}")
    assert builds(project({**SHOP, "orders/pom.xml": moved})) == set()


def test_image_plugins_name_their_images(project: Project) -> None:
    plugins = """
  <build>
    <plugins>
      <plugin>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-maven-plugin</artifactId>
        <configuration>
          <image><name>ghcr.io/acme/${project.artifactId}:${project.version}</name></image>
        </configuration>
      </plugin>
      <plugin>
        <groupId>com.google.cloud.tools</groupId>
        <artifactId>jib-maven-plugin</artifactId>
        <configuration><to><image>registry.acme.io/jib/${project.artifactId}</image>
          <tags><tag>${project.version}</tag></tags></to>
        </configuration>
      </plugin>
      <plugin>
        <groupId>io.fabric8</groupId>
        <artifactId>docker-maven-plugin</artifactId>
        <configuration>
          <images>
            <image>
              <name>acme/%a:%l</name>
              <build><contextDir>${project.basedir}/docker</contextDir></build>
            </image>
            <image><name>acme/${project.artifactId}-assembled</name>
              <build><from>eclipse-temurin:17</from></build></image>
          </images>
        </configuration>
      </plugin>
      <plugin>
        <groupId>com.spotify</groupId>
        <artifactId>dockerfile-maven-plugin</artifactId>
        <configuration>
          <repository>acme/${project.artifactId}-spotify</repository>
          <tag>${project.version}</tag>
        </configuration>
      </plugin>
    </plugins>
  </build>
"""
    files = {"pom.xml": PARENT, "orders/pom.xml": module(extra=plugins)}
    assert builds(project(files)) == {
        ("ghcr.io/acme/orders", "2.1.0", "orders", None, "orders"),
        ("registry.acme.io/jib/orders", "latest", "orders", None, "orders"),
        ("registry.acme.io/jib/orders", "2.1.0", "orders", None, "orders"),
        ("docker.io/acme/orders", "*", "orders/docker", "orders/docker/Dockerfile", "orders"),
        ("docker.io/acme/orders-assembled", "latest", "orders", None, "orders"),
        ("docker.io/acme/orders-spotify", "2.1.0", "orders", "orders/Dockerfile", "orders"),
    }


def test_spring_boot_build_image_without_a_name_is_the_default_name(project: Project) -> None:
    plugin = """
  <build><plugins><plugin>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-maven-plugin</artifactId>
    <executions><execution><goals><goal>build-image-no-fork</goal></goals></execution>
    </executions>
  </plugin></plugins></build>
"""
    files = {"pom.xml": PARENT, "orders/pom.xml": module(extra=plugin)}
    assert builds(project(files)) == {
        ("docker.io/library/orders", "2.1.0", "orders", None, "orders")
    }
    # the plugin alone (a `spring-boot:run` project) names no image
    plain = plugin.replace("build-image-no-fork", "repackage")
    assert builds(project({**files, "orders/pom.xml": module(extra=plain)})) == set()


@pytest.mark.parametrize(
    "bad",
    [
        b'<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x "acme">]>\n<project>&x;</project>',
        b"<project><artifactId>orders</artifactId>",
        b"\xff\xfe not xml",
    ],
)
def test_unreadable_poms_build_nothing_and_never_raise(project: Project, bad: bytes) -> None:
    root = project({**SHOP, "orders/pom.xml": bad})
    assert builds(root) == set()
    assert isinstance(parse_xml_lines(bad), str)
