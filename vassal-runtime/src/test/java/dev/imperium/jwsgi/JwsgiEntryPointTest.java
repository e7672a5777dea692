package dev.imperium.jwsgi;

import org.junit.jupiter.api.Test;

import java.util.HashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwsgiEntryPointTest {
    private static final ClassLoader LOADER = JwsgiEntryPointTest.class.getClassLoader();
    private static final String PREFIX = JwsgiEntryPointTest.class.getName() + "$";

    public static final class StaticApp {
        public static Object[] application(HashMap<String, Object> env) {
            return new Object[] {200, new HashMap<>(), "static"};
        }

        public static Object[] other(HashMap<String, Object> env) {
            return new Object[] {200, new HashMap<>(), "other"};
        }
    }

    public static final class InstanceApp {
        private final String greeting = "instance";

        public Object[] application(HashMap<String, Object> env) {
            return new Object[] {200, new HashMap<>(), greeting};
        }
    }

    static class PackagePrivateApp {
        static Object[] application(HashMap<String, Object> env) {
            return new Object[] {200, new HashMap<>(), "hidden"};
        }
    }

    public static class Base {
        public static Object[] application(HashMap<String, Object> env) {
            return new Object[] {200, new HashMap<>(), "inherited"};
        }
    }

    public static final class Derived extends Base {
    }

    public static final class WrongSignature {
        public static Object application(HashMap<String, Object> env) {
            return null;
        }

        public static Object[] other(java.util.Map<String, Object> env) {
            return null;
        }
    }

    public static final class NoConstructor {
        public NoConstructor(String required) {
        }

        public Object[] application(HashMap<String, Object> env) {
            return null;
        }
    }

    public static final class FailingConstructor {
        public FailingConstructor() {
            throw new IllegalStateException("cannot start");
        }

        public Object[] application(HashMap<String, Object> env) {
            return null;
        }
    }

    public static final class FailingInit {
        static final int VALUE = Integer.parseInt("not a number");

        public static Object[] application(HashMap<String, Object> env) {
            return null;
        }
    }

    public static final class Throwing {
        public static Object[] application(HashMap<String, Object> env) throws java.io.IOException {
            throw new java.io.IOException("app failed");
        }
    }

    private static Object body(JwsgiEntryPoint entry) throws Throwable {
        return ((Object[]) entry.call(new HashMap<>()))[2];
    }

    @Test
    void usesTheStaticApplicationMethodByDefault() throws Throwable {
        JwsgiEntryPoint entry = JwsgiEntryPoint.load(PREFIX + "StaticApp", LOADER);
        assertThat(entry.isStatic()).isTrue();
        assertThat(body(entry)).isEqualTo("static");
    }

    @Test
    void acceptsTheSlashFormUwsgiRequiresAndANamedMethod() throws Throwable {
        String slashed = (PREFIX + "StaticApp").replace('.', '/');
        assertThat(body(JwsgiEntryPoint.load(slashed + ":other", LOADER))).isEqualTo("other");
        assertThat(JwsgiEntryPoint.load(slashed, LOADER).spec()).isEqualTo(slashed);
    }

    @Test
    void instantiatesTheClassOnceForAnInstanceMethod() throws Throwable {
        JwsgiEntryPoint entry = JwsgiEntryPoint.load(PREFIX + "InstanceApp", LOADER);
        assertThat(entry.isStatic()).isFalse();
        assertThat(body(entry)).isEqualTo("instance");
    }

    @Test
    void findsNonPublicAndInheritedMethodsAsJniDoes() throws Throwable {
        assertThat(body(JwsgiEntryPoint.load(PREFIX + "PackagePrivateApp", LOADER))).isEqualTo("hidden");
        assertThat(body(JwsgiEntryPoint.load(PREFIX + "Derived", LOADER))).isEqualTo("inherited");
    }

    @Test
    void passesTheAppExceptionThroughUnwrapped() throws Exception {
        JwsgiEntryPoint entry = JwsgiEntryPoint.load(PREFIX + "Throwing", LOADER);
        assertThatThrownBy(() -> entry.call(new HashMap<>())).isInstanceOf(java.io.IOException.class)
                .hasMessage("app failed");
    }

    @Test
    void explainsEveryLoadFailure() {
        assertLoadFails("", "syntax is Class[:method]");
        assertLoadFails(PREFIX + "StaticApp:", "syntax is Class[:method]");
        assertLoadFails("com.example.Missing", "class com.example.Missing not found");
        assertLoadFails(PREFIX + "StaticApp:nope", "has no method Object[] nope(java.util.HashMap)");
        assertLoadFails(PREFIX + "WrongSignature", "has no method Object[] application(java.util.HashMap)");
        assertLoadFails(PREFIX + "WrongSignature:other", "has no method");
        assertLoadFails(PREFIX + "NoConstructor", "no no-arg constructor");
        assertLoadFails(PREFIX + "FailingConstructor", "threw java.lang.IllegalStateException: cannot start");
        assertLoadFails(PREFIX + "FailingInit", "static initializer");
    }

    private static void assertLoadFails(String spec, String message) {
        assertThatThrownBy(() -> JwsgiEntryPoint.load(spec, LOADER))
                .as(spec)
                .isInstanceOf(JwsgiLoadException.class)
                .hasMessageContaining(message);
    }
}
