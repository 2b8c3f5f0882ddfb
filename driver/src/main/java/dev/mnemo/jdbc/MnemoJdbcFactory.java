package dev.mnemo.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Properties;
import java.util.TimeZone;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.AvaticaPreparedStatement;
import org.apache.calcite.avatica.AvaticaResultSet;
import org.apache.calcite.avatica.AvaticaSpecificDatabaseMetaData;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.UnregisteredDriver;
import org.apache.calcite.jdbc.CalciteFactory;
import org.apache.calcite.jdbc.CalciteJdbc41Factory;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.MnemoConnection;

/**
 * The JDBC object factory of Mnemo connections: Calcite's JDBC 4.1 objects, except that connections are
 * {@link MnemoConnection}s (configuration read once), statements return generated keys, and
 * {@link java.sql.Connection#getMetaData()} is a
 * {@link MnemoDatabaseMetaData}, and result sets give values as streams, BLOBs and CLOBs too. It delegates rather than extends
 * {@link CalciteJdbc41Factory} because that class declares its metadata method to return a private type. Public
 * only because Avatica instantiates it by name ({@link Driver#getFactoryClassName}).
 */
public final class MnemoJdbcFactory extends CalciteFactory {
    private final CalciteFactory calcite = new CalciteJdbc41Factory();

    /** The factory, as Avatica instantiates it. */
    public MnemoJdbcFactory() {
        super(4, 1);
    }

    @Override
    public AvaticaConnection newConnection(UnregisteredDriver driver, AvaticaFactory factory, String url,
            Properties info, CalciteSchema rootSchema, JavaTypeFactory typeFactory) {
        return MnemoConnection.create(driver, factory, url, info, rootSchema, typeFactory);
    }

    @Override
    public AvaticaStatement newStatement(AvaticaConnection connection, Meta.StatementHandle h, int resultSetType,
            int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        return MnemoConnection.newStatement(connection, h, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public AvaticaPreparedStatement newPreparedStatement(AvaticaConnection connection, Meta.StatementHandle h,
            Meta.Signature signature, int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return MnemoConnection.newPreparedStatement(connection, h, signature, resultSetType, resultSetConcurrency,
                resultSetHoldability);
    }

    @Override
    public AvaticaResultSet newResultSet(AvaticaStatement statement, QueryState state, Meta.Signature signature,
            TimeZone timeZone, Meta.Frame firstFrame) throws SQLException {
        return MnemoConnection.newResultSet(statement, signature, newResultSetMetaData(statement, signature), timeZone,
                firstFrame);
    }

    @Override
    public AvaticaSpecificDatabaseMetaData newDatabaseMetaData(AvaticaConnection connection) {
        return new MnemoDatabaseMetaData(connection);
    }

    @Override
    public ResultSetMetaData newResultSetMetaData(AvaticaStatement statement, Meta.Signature signature)
            throws SQLException {
        return new MnemoResultSetMetaData(signature.columns);
    }
}
