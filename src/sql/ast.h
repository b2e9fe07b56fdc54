/*
 * ast.h -- the syntax tree the parser builds: statements, queries, table
 * references and expressions, exactly as written (names unresolved, types
 * unknown). Every node lives in the parse arena and carries the line and
 * column of its first token, so the binder can point at it too.
 */
#ifndef NL_SQL_AST_H
#define NL_SQL_AST_H

#include <stdbool.h>
#include <stdint.h>

typedef struct sql_query sql_query;

typedef enum sql_expr_kind {
    SQL_E_NULL = 0,
    SQL_E_BOOL,      /* ival 0/1 */
    SQL_E_INT,       /* text */
    SQL_E_NUMBER,    /* text (decimal or float literal) */
    SQL_E_STRING,    /* text */
    SQL_E_TYPED,     /* DATE '...', TIMESTAMP '...': type_name, text */
    SQL_E_INTERVAL,  /* INTERVAL '3' DAY: text, name = unit */
    SQL_E_COLUMN,    /* names[0..n_names): a, t.a, db.t.a */
    SQL_E_STAR,      /* * or t.*: names (qualifier) */
    SQL_E_UNARY,     /* op: "-", "+", "NOT"; args[0] */
    SQL_E_BINARY,    /* op: + - * / % || = <> < <= > >= AND OR; args[0], args[1] */
    SQL_E_FUNC,      /* name(args) [FILTER (WHERE filter)]; distinct; star for count(*) */
    SQL_E_CASE,      /* args: [operand?] (when, then)* [else]; has_operand, has_else */
    SQL_E_CAST,      /* CAST(args[0] AS type_name), try_cast */
    SQL_E_BETWEEN,   /* args[0] BETWEEN args[1] AND args[2]; negated */
    SQL_E_IN_LIST,   /* args[0] IN (args[1..]); negated */
    SQL_E_IN_QUERY,  /* args[0] IN (query); negated */
    SQL_E_EXISTS,    /* EXISTS (query); negated */
    SQL_E_SUBQUERY,  /* (query) as a scalar */
    SQL_E_LIKE,      /* args[0] LIKE args[1] [ESCAPE args[2]]; negated; ilike */
    SQL_E_IS,        /* args[0] IS [NOT] NULL|TRUE|FALSE: op "NULL"/"TRUE"/"FALSE"; negated */
    SQL_E_EXTRACT    /* EXTRACT(name FROM args[0]) */
} sql_expr_kind;

typedef struct sql_expr sql_expr;
struct sql_expr {
    sql_expr_kind kind;
    int32_t line, col;
    const char *op;
    const char *text;
    const char *name;
    const char **names;
    int32_t n_names;
    const char *type_name; /* CAST, TYPED literals */
    sql_expr **args;
    int32_t n_args;
    sql_query *query;
    sql_expr *filter; /* aggregate FILTER (WHERE ...) */
    struct sql_order_item *agg_order; /* string_agg(x, ',' ORDER BY ...) */
    int32_t n_agg_order;
    bool negated, distinct, star, has_operand, has_else, try_cast, ilike;
};

typedef struct sql_order_item {
    sql_expr *expr;
    bool desc;
    int nulls; /* 0 default, 1 NULLS FIRST, 2 NULLS LAST */
} sql_order_item;

typedef struct sql_select_item {
    sql_expr *expr;
    const char *alias; /* NULL when none */
} sql_select_item;

typedef enum sql_join_kind {
    SQL_JOIN_INNER = 0,
    SQL_JOIN_LEFT,
    SQL_JOIN_RIGHT,
    SQL_JOIN_FULL,
    SQL_JOIN_CROSS
} sql_join_kind;

typedef enum sql_table_kind {
    SQL_T_NAME = 0, /* names[0..n_names): t or db.t */
    SQL_T_FILE,     /* 'path.parquet': text */
    SQL_T_FUNC,     /* read_parquet('x'): name, args */
    SQL_T_SUBQUERY, /* (query) */
    SQL_T_JOIN,     /* left JOIN right ON on / USING using */
    SQL_T_VALUES    /* (VALUES ...) is a SUBQUERY; kept for symmetry */
} sql_table_kind;

typedef struct sql_table_ref sql_table_ref;
struct sql_table_ref {
    sql_table_kind kind;
    int32_t line, col;
    const char **names;
    int32_t n_names;
    const char *text;
    const char *name;
    sql_expr **args;
    int32_t n_args;
    sql_query *query;
    const char *alias;
    const char **col_aliases;
    int32_t n_col_aliases;
    sql_join_kind join;
    sql_table_ref *left, *right;
    sql_expr *on;
    const char **using_cols;
    int32_t n_using;
    bool natural; /* NATURAL JOIN: USING the columns both sides have */
};

typedef struct sql_select {
    bool distinct;
    sql_select_item *items;
    int32_t n_items;
    sql_table_ref **from; /* comma-separated list */
    int32_t n_from;
    sql_expr *where;
    sql_expr **group_by;
    int32_t n_group_by;
    sql_expr *having;
    /* VALUES (...), (...): rows of n_items expressions each, when values != NULL */
    sql_expr ***values;
    int32_t n_values;
} sql_select;

typedef enum sql_setop {
    SQL_SET_NONE = 0, /* a plain SELECT or VALUES in `select` */
    SQL_SET_UNION,
    SQL_SET_INTERSECT,
    SQL_SET_EXCEPT
} sql_setop;

typedef struct sql_cte {
    const char *name;
    const char **col_aliases;
    int32_t n_col_aliases;
    sql_query *query;
} sql_cte;

struct sql_query {
    int32_t line, col;
    sql_cte *ctes;
    int32_t n_ctes;
    /* the body: a select, or a set operation of two queries */
    sql_setop setop;
    bool set_all;
    sql_select *select;
    sql_query *left, *right;
    sql_order_item *order_by;
    int32_t n_order_by;
    sql_expr *limit;  /* NULL when none */
    sql_expr *offset; /* NULL when none */
};

typedef enum sql_stmt_kind {
    SQL_S_QUERY = 0,
    SQL_S_CREATE_TABLE, /* name, columns or AS query; or_replace, if_not_exists */
    SQL_S_CREATE_VIEW,  /* name AS query */
    SQL_S_INSERT,       /* name [(columns)] query */
    SQL_S_DROP_TABLE,
    SQL_S_DROP_VIEW,
    SQL_S_EXPLAIN,      /* inner; analyze */
    SQL_S_SET           /* SET name = value (accepted, recorded as a setting) */
} sql_stmt_kind;

typedef struct sql_column_def {
    const char *name;
    const char *type_name;
    int32_t line, col;
} sql_column_def;

typedef struct sql_stmt sql_stmt;
struct sql_stmt {
    sql_stmt_kind kind;
    int32_t line, col;
    const char **names; /* the table or view name: db.t or t */
    int32_t n_names;
    sql_column_def *columns;
    int32_t n_columns;
    const char **insert_cols;
    int32_t n_insert_cols;
    sql_query *query;
    sql_stmt *inner;
    bool analyze, or_replace, if_exists, if_not_exists, temporary;
    const char *set_value;
    const char *text; /* the statement's own text (arena copy) */
    const char *body; /* CREATE VIEW: the text of its query (arena copy); insert_cols: its column names */
    int32_t body_offset;
};

#endif
