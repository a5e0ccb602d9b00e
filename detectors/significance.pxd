# C types for significance.py's one-pass loop, for the compiled core only (see detectors/compiled.py): Cython
# reads this file when it compiles significance.py; the interpreter never does. The .py stays plain Python.
cimport cython
from libc.stdint cimport int8_t, int32_t, int64_t, uint8_t, uint64_t

@cython.locals(
    n_posts=Py_ssize_t, occurrences=Py_ssize_t, rows=Py_ssize_t, n_new=Py_ssize_t, k=Py_ssize_t,
    post=Py_ssize_t, first=Py_ssize_t, key=Py_ssize_t, row=Py_ssize_t, bucket=int64_t, best=int64_t,
    lang=int64_t, inc=int64_t, least=int64_t, docs=double, best_decay=double, best_mean=double,
    row_decay=double, row_mean=double,
)
cpdef Py_ssize_t _count_and_read(
    const uint64_t[:] hashes,
    int64_t n_buckets,
    int64_t[:, ::1] idx,
    const int64_t[:] owner,
    const int64_t[:] lang_ids,
    const int64_t[:] inc_post,
    int64_t[::1] slot_docs,
    int32_t[::1] count,
    int8_t[::1] count_lang,
    uint8_t[::1] touched,
    const double[::1] mean_table,
    const double[::1] var_table,
    const int32_t[::1] last,
    const double[::1] decay,
    int64_t active_slots,
    double correction,
    double[::1] count_out,
    double[::1] docs_out,
    double[::1] mean_out,
    double[::1] var_out,
    int64_t[::1] new_touched,
)

@cython.locals(
    k=Py_ssize_t, row=Py_ssize_t, golden=uint64_t, shift=uint64_t, low32=uint64_t, one=uint64_t, size=uint64_t,
    low_bits=uint64_t, power_of_two=bint, h1=uint64_t, h2=uint64_t, mixed=uint64_t,
)
cpdef void _bucket_rows(const uint64_t[:] hashes, int64_t n_buckets, int64_t[:, ::1] idx)

@cython.locals(keep=double, i=Py_ssize_t, bucket=int64_t, x=double, bucket_decay=double, mean=double, var=double,
               diff=double, incr=double)
cpdef void _close_buckets(
    const int64_t[:] flat,
    const int64_t[::1] slot_docs,
    int32_t[::1] count,
    const int8_t[::1] count_lang,
    double[::1] mean_table,
    double[::1] var_table,
    int32_t[::1] last,
    const double[::1] decay,
    int64_t seq,
    double alpha,
)
