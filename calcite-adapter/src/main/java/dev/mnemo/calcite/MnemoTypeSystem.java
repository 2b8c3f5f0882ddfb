package dev.mnemo.calcite;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * The SQL type rules of Mnemo connections, where Calcite's defaults give answers other databases and the standard
 * do not:
 * <ul>
 *   <li>DECIMAL precision and scale go up to {@value #MAX_DECIMAL} digits (Calcite's default is 19);</li>
 *   <li>SUM of a TINYINT, SMALLINT or INTEGER is a BIGINT (Calcite keeps the argument's type, so
 *       {@code SUM(CASE WHEN … THEN 1 ELSE 0 END)} would overflow past 2<sup>31</sup>);</li>
 *   <li>AVG (and STDDEV / VARIANCE, which Calcite types the same way) of an exact number is exact: a DECIMAL with
 *       {@value #AVG_EXTRA_SCALE} more fraction digits than the argument (an integer argument gives
 *       DECIMAL(38, 10)), where Calcite keeps the argument's type and so truncates {@code AVG} of 5 and 6 to 5;
 *       AVG of a DOUBLE is a DOUBLE;</li>
 *   <li>a value cast to a type with fewer fraction digits (a DECIMAL(10,2) column, an INTEGER) is rounded half
 *       up, as H2 and PostgreSQL do ({@code 1.255} becomes {@code 1.26}), not truncated as in Calcite;</li>
 *   <li>the common type of character values of different lengths (the branches of a CASE, the rows of a UNION or
 *       VALUES) is VARCHAR, so {@code CASE … THEN 'low' ELSE 'high' END} gives {@code 'low'}, not {@code 'low '}.</li>
 * </ul>
 * Public because Calcite instantiates it by name (connection property {@code typeSystem}).
 */
public final class MnemoTypeSystem extends RelDataTypeSystemImpl {
    /** The instance Calcite's plugin loader looks for. */
    public static final MnemoTypeSystem INSTANCE = new MnemoTypeSystem();
    /** Largest DECIMAL precision and scale. */
    static final int MAX_DECIMAL = 38;
    /** Fraction digits AVG adds to an exact argument's scale. */
    static final int AVG_EXTRA_SCALE = 10;

    private MnemoTypeSystem() {
    }

    @Override
    public int getMaxPrecision(SqlTypeName typeName) {
        return typeName == SqlTypeName.DECIMAL ? MAX_DECIMAL : super.getMaxPrecision(typeName);
    }

    @Override
    public int getMaxScale(SqlTypeName typeName) {
        return typeName == SqlTypeName.DECIMAL ? MAX_DECIMAL : super.getMaxScale(typeName);
    }

    @Override
    public RelDataType deriveSumType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
        switch (argumentType.getSqlTypeName()) {
            case TINYINT, SMALLINT, INTEGER:
                return typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.BIGINT),
                        argumentType.isNullable());
            default:
                return super.deriveSumType(typeFactory, argumentType);
        }
    }

    @Override
    public RelDataType deriveAvgAggType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
        if (!SqlTypeUtil.isExactNumeric(argumentType)) {
            return argumentType;
        }
        int scale = Math.min(MAX_DECIMAL, Math.max(argumentType.getScale(), 0) + AVG_EXTRA_SCALE);
        RelDataType avg = typeFactory.createSqlType(SqlTypeName.DECIMAL, MAX_DECIMAL, scale);
        return typeFactory.createTypeWithNullability(avg, argumentType.isNullable());
    }

    @Override
    public java.math.RoundingMode roundingMode() {
        return java.math.RoundingMode.HALF_UP;
    }

    @Override
    public boolean shouldConvertRaggedUnionTypesToVarying() {
        return true;
    }
}
