// NativeDialect module
