package dev.mnemo.engine;

import java.util.List;

/**
 * One chunk of a select with a limit: the results, and the continuation that resumes after the last key this chunk
 * covered ({@code null} when the table has been covered). A continuation stays valid across transactions and
 * writes: it resumes at the next key in key order, seeing the table as it is then.
 *
 * @param results      the body results of matching records, in key order (reverse order for selectReverse)
 * @param continuation where to resume, or null at the end of the table
 */
public record SelectChunk(List<Object> results, Continuation continuation) {
    public SelectChunk {
        results = List.copyOf(results);
    }

    /** Whether more results may follow. */
    public boolean hasMore() {
        return continuation != null;
    }
}
