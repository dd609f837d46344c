/*
 * tests/modules/nosym.c: a valid shared module that is not a uats
 * connector: it has no entry point. The loader must refuse it by name.
 */
int nosym_some_function(void);
int nosym_some_function(void)
{
    return 42;
}
