package org.substra.node.testing;

import io.quarkus.test.common.WithTestResource;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated {@code @QuarkusTest} against the machine's real dependencies, each behind a
 * {@link TcpProxy} that the test can cut ({@link LocalDependencies#proxy}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@WithTestResource(LocalDependencies.class)
public @interface WithLocalDependencies {

  /** The dependencies the service under test uses. */
  Dependency[] value();

  /** The PostgreSQL database, when {@link Dependency#POSTGRESQL} is among them. */
  String database() default "substra_test";
}
