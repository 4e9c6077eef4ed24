// KimchiDialect: routes, wire types, mapping and errors of this dialect live in this folder.
