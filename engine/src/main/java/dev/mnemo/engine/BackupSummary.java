package dev.mnemo.engine;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a backup wrote or a restore read.
 *
 * @param file    the archive
 * @param records the records of each table backed up or restored, in the archive's order
 * @param bytes   the archive's size
 */
public record BackupSummary(Path file, Map<String, Long> records, long bytes) {
    public BackupSummary {
        records = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(records));
    }

    /** The records of every table together. */
    public long total() {
        return records.values().stream().mapToLong(Long::longValue).sum();
    }
}
