package dev.mnemo.calcite;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.calcite.rel.metadata.JaninoRelMetadataProvider;
import org.apache.calcite.rel.metadata.MetadataHandler;
import org.apache.calcite.rel.metadata.MetadataHandlerProvider;
import org.apache.calcite.rel.metadata.RelMetadataProvider;

/**
 * Calcite's metadata handlers for {@link MnemoMetadata#PROVIDER}, compiled with Mnemo rather than by Janino at run
 * time: Calcite generates each handler's Java source and compiles it with Janino the first time a JVM plans, which
 * was over a quarter of the first planned statement's 1.9 s. The sources in {@code dev.mnemo.calcite.metadata} are
 * what Calcite's generator writes for that provider (PrecompiledMetadataTest checks they still are, and writes them
 * again on request). A handler with no compiled class, or whose handlers no longer fit it, is compiled by Janino as
 * before.
 *
 * <p>As Janino's provider does, this gives each metadata query a handler that fails on first use, and the compiled
 * handler on {@link #revise}: a query builds only the handlers it uses.
 */
final class PrecompiledMetadata implements MetadataHandlerProvider {
    /** Where the compiled handlers are, and the prefix of their names. */
    static final String PACKAGE = "dev.mnemo.calcite.metadata";
    static final String PREFIX = "GeneratedMetadata_";

    private final RelMetadataProvider provider;
    private final JaninoRelMetadataProvider janino;
    /** Each handler class's handler, made once for the JVM (it holds no state of a query). */
    private final Map<Class<?>, MetadataHandler<?>> handlers = new ConcurrentHashMap<>();

    PrecompiledMetadata(RelMetadataProvider provider) {
        this.provider = provider;
        this.janino = JaninoRelMetadataProvider.of(provider);
    }

    @Override
    public <H extends MetadataHandler<?>> H handler(Class<H> handlerClass) {
        MetadataHandler<?> made = handlers.get(handlerClass);
        return made != null ? handlerClass.cast(made) : janino.handler(handlerClass);
    }

    @Override
    public <H extends MetadataHandler<?>> H revise(Class<H> handlerClass) {
        return handlerClass.cast(handlers.computeIfAbsent(handlerClass, this::make));
    }

    private MetadataHandler<?> make(Class<?> handlerClass) {
        @SuppressWarnings("unchecked")
        Class<? extends MetadataHandler<?>> c = (Class<? extends MetadataHandler<?>>) handlerClass;
        // the handlers in Calcite's order, each once, as its generated constructor takes them
        List<MetadataHandler<?>> args = new ArrayList<>(new LinkedHashSet<>(provider.handlers(c)));
        try {
            Class<?> compiled = Class.forName(PACKAGE + "." + className(c), true,
                    PrecompiledMetadata.class.getClassLoader());
            Constructor<?> constructor = compiled.getConstructors()[0];
            if (constructor.getParameterCount() == args.size()) {
                boolean fits = true;
                for (int i = 0; i < args.size(); i++) {
                    // a handler of a class javac cannot name is held as its public superclass
                    fits &= constructor.getParameterTypes()[i].isInstance(args.get(i));
                }
                if (fits) {
                    return (MetadataHandler<?>) constructor.newInstance(args.toArray());
                }
            }
        } catch (ClassNotFoundException e) {
            // not compiled with Mnemo: Janino compiles it
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make the compiled metadata handler of " + c.getName(), e);
        }
        return janino.revise(c);
    }

    /** The simple name Calcite's generator gives the handler of {@code handlerClass}. */
    static String className(Class<?> handlerClass) {
        String simple = handlerClass.getSimpleName();
        if (simple.equals("Handler")) {
            String[] parts = handlerClass.getName().split("[.$]");
            simple = parts[parts.length - 2] + parts[parts.length - 1];
        }
        return PREFIX + simple;
    }
}
