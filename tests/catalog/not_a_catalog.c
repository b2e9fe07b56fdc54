/*
 * not_a_catalog.c -- a shared object without the catalog entry point, to test
 * that loading it is a clear error.
 */
int nl_test_not_a_catalog(void);
int nl_test_not_a_catalog(void) { return 42; }
