package dev.mnemo.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mnesia's table_info for one table.
 *
 * @param name           table name
 * @param size           number of records
 * @param memory         estimated bytes of heap the table uses (rows, indexes; for disc_only_copies its cache)
 * @param attributes     attribute names, key first
 * @param arity          attributes + 1 (the record name), as in Mnesia
 * @param type           table type
 * @param storageType    storage type
 * @param index          indexed attributes
 * @param recordName     record name
 * @param accessMode     access mode
 * @param userProperties user properties
 * @param version        {major, minor}: major grows with transform_table, minor with index changes
 * @param attributeTypes declared attribute types
 */
public record TableInfo(String name, long size, long memory, List<String> attributes, int arity, TableType type,
                        StorageType storageType, List<String> index, String recordName, AccessMode accessMode,
                        Map<String, Object> userProperties, List<Integer> version, List<AttrType> attributeTypes) {
    /** The information as Mnesia's key → value list, with Mnesia's key names (size, memory, attributes, …). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("size", size);
        m.put("memory", memory);
        m.put("attributes", attributes);
        m.put("arity", arity);
        m.put("type", type.mnesiaName());
        m.put("storage_type", storageType.mnesiaName());
        m.put("index", index);
        m.put("record_name", recordName);
        m.put("access_mode", accessMode.mnesiaName());
        m.put("user_properties", userProperties);
        m.put("version", version);
        return m;
    }

    /** One item by Mnesia's key name; an unknown key is a clear error listing the known ones. */
    public Object get(String key) {
        Map<String, Object> m = asMap();
        if (!m.containsKey(key)) {
            throw new IllegalArgumentException("unknown table_info key '" + key + "'; known keys are " + m.keySet());
        }
        return m.get(key);
    }
}
