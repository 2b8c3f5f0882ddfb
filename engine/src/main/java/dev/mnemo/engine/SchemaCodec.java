package dev.mnemo.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Table definitions as Mnemo values, for the persistent schema store. */
final class SchemaCodec {
    private SchemaCodec() {
    }

    /** A stored table: its definition, store id and version. */
    record Entry(TableDef def, long id, int major, int minor) {
    }

    static Map<String, Object> toValue(TableDef d, long id, int major, int minor) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("attributes", d.attributes());
        List<String> types = new ArrayList<>();
        for (AttrType t : d.types()) {
            types.add(t.name());
        }
        m.put("types", types);
        m.put("type", d.type().mnesiaName());
        m.put("storage", d.storage().mnesiaName());
        m.put("index", d.indexes());
        m.put("record_name", d.recordName());
        m.put("access_mode", d.accessMode().name());
        m.put("user_properties", d.userProperties());
        m.put("id", id);
        m.put("major", (long) major);
        m.put("minor", (long) minor);
        return m;
    }

    @SuppressWarnings("unchecked")
    static Entry fromValue(Object v) {
        Map<String, Object> m = (Map<String, Object>) v;
        List<AttrType> types = new ArrayList<>();
        for (Object t : (List<Object>) m.get("types")) {
            types.add(AttrType.valueOf((String) t));
        }
        List<String> attrs = new ArrayList<>();
        for (Object a : (List<Object>) m.get("attributes")) {
            attrs.add((String) a);
        }
        List<String> idx = new ArrayList<>();
        for (Object a : (List<Object>) m.get("index")) {
            idx.add((String) a);
        }
        TableDef def = new TableDef((String) m.get("name"), attrs, types, TableType.parse((String) m.get("type")),
                StorageType.parse((String) m.get("storage")), idx, (String) m.get("record_name"),
                AccessMode.valueOf((String) m.get("access_mode")), (Map<String, Object>) m.get("user_properties"));
        return new Entry(def, (Long) m.get("id"), ((Long) m.get("major")).intValue(),
                ((Long) m.get("minor")).intValue());
    }
}
