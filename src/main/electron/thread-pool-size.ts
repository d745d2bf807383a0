/**
 * Each open naudiodon stream holds a libuv thread-pool thread while it is open (its reads and
 * writes block there). libuv sizes the pool on first use, from this variable; the default four
 * would leave too few threads for files and DNS once the mic, the speaker and a mic test run.
 * Imported first by index.ts so it is set before anything touches the pool.
 */
process.env.UV_THREADPOOL_SIZE ??= '8';
