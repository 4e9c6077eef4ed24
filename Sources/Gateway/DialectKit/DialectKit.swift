// DialectKit module
