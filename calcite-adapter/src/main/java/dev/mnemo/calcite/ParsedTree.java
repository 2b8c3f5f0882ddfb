package dev.mnemo.calcite;

import java.io.Reader;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParserImplFactory;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlConformance;

/**
 * A "parser" that answers a statement's parse tree, parsed already by the caller ({@link Preparation#withParseTree}),
 * so that Calcite's preparation does not parse the text a second time. It parses nothing else.
 */
final class ParsedTree extends SqlAbstractParserImpl {
    private final SqlNode tree;

    private ParsedTree(SqlNode tree) {
        this.tree = tree;
    }

    static SqlParserImplFactory factory(SqlNode tree) {
        return reader -> new ParsedTree(tree);
    }

    @Override
    public SqlNode parseSqlStmtEof() {
        return tree;
    }

    @Override
    public SqlNode parseSqlExpressionEof() {
        throw new UnsupportedOperationException("a parsed statement, not an expression");
    }

    @Override
    public SqlNodeList parseSqlStmtList() {
        throw new UnsupportedOperationException("a parsed statement, not a list");
    }

    @Override
    public SqlNode parseArray() {
        throw new UnsupportedOperationException("a parsed statement, not an array");
    }

    @Override
    public Metadata getMetadata() {
        throw new UnsupportedOperationException("a parsed statement has no parser metadata");
    }

    @Override
    public SqlParseException normalizeException(Throwable ex) {
        return new SqlParseException(String.valueOf(ex), SqlParserPos.ZERO, null, null, ex);
    }

    @Override
    protected SqlParserPos getPos() {
        return SqlParserPos.ZERO;
    }

    @Override
    public void ReInit(Reader reader) {
    }

    @Override
    public void setTabSize(int tabSize) {
    }

    @Override
    public void setQuotedCasing(Casing quotedCasing) {
    }

    @Override
    public void setUnquotedCasing(Casing unquotedCasing) {
    }

    @Override
    public void setIdentifierMaxLength(int identifierMaxLength) {
    }

    @Override
    public void setConformance(SqlConformance conformance) {
    }

    @Override
    public void switchTo(LexicalState state) {
    }
}
