/*
 * A scenario's C11 atomics, mapped in two builds: told to Helgrind and DRD (the Valgrind build),
 * and made scheduling points (the controlled build, at the end of this file).
 *
 * Both tools see an atomic operation as the plain load or store it compiles to, and know
 * nothing of memory orders: a correct spinlock in C11 atomics looks like a race on its flag and
 * on everything it protects. So in the Valgrind build, <stdatomic.h>'s operations are mapped,
 * for the code that follows scenario.h (a scenario's or a student's file), to the same operation
 * plus what C11 guarantees of it, no more:
 *   - the object is atomic: its accesses cannot race (the tools stop checking its bytes);
 *   - a release (or stronger) store or read-modify-write happens before a later acquire (or
 *     stronger) operation on the same object that reads it: a happens-before on the object's
 *     address before the operation, a happens-after once it has read.
 * A relaxed operation orders nothing, so it is told nothing: a spinlock taken with relaxed
 * atomics still shows its race. DRD takes a happens-after on an address nobody has released
 * yet for an error, so an acquire is told only when the value it read was written by a release
 * of this object (it is not the object's first value): see variant_atomic_acquired().
 *
 * What is not mapped: atomic_thread_fence (a fence orders through other objects, which no
 * per-object annotation can say), operators on _Atomic variables (x++), and the compiler's
 * __atomic builtins. Those look racy to Helgrind and DRD still, and the README says so.
 *
 * Behind the same switch as the other annotations (ESPRESSO_TSAN_ANNOTATIONS=off), so that
 * `detectors` can show what the tools see without being told.
 */
#ifndef ESPRESSO_VARIANT_ATOMICS_H
#define ESPRESSO_VARIANT_ATOMICS_H

/* The controlled build maps a scenario's atomics only, not the lab's own (ESPRESSO_LAB_SOURCE). */
#if defined(ESPRESSO_VALGRIND_BUILD) || \
        (defined(ESPRESSO_CONTROLLED_BUILD) && !defined(ESPRESSO_LAB_SOURCE))
#include "variant.h"

#include <stdatomic.h>

#ifdef ESPRESSO_VALGRIND_BUILD

static inline bool variant_order_releases(int order)
{
        return order == memory_order_release || order == memory_order_acq_rel ||
               order == memory_order_seq_cst;
}

static inline bool variant_order_acquires(int order)
{
        return order == memory_order_acquire || order == memory_order_consume ||
               order == memory_order_acq_rel || order == memory_order_seq_cst;
}

/* Before the operation: the object is atomic, and a releasing write publishes what came before. */
static inline void variant_atomic_before(const volatile void *obj, size_t size, int order, bool writes)
{
        if (!annotations_on)
                return;
        variant_lab_words(obj, size);
        if (writes && variant_order_releases(order))
                variant_lab_release(obj);
}

/* After it: an acquiring read of a value some release wrote takes what that release published.
 * Whether a release has written the object is not known per value; the object's address has
 * been released at least once when any releasing write reached it, which every acquire of a
 * lock, flag or pointer below follows in practice. The first acquire of a never-released object
 * (a lock's first taker) reads its initial value, which no thread published: told nothing. */
void variant_atomic_acquired(const volatile void *obj, int order);
#endif

/* The compiler's own atomic builtins under the mapped operations: clang's <stdatomic.h> is built
 * on its __c11_atomic_ builtins, gcc's on its __atomic_ ones. */
#ifdef __clang__
#define VARIANT_BUILTIN_LOAD(obj, order) __c11_atomic_load(obj, order)
#define VARIANT_BUILTIN_STORE(obj, value, order) __c11_atomic_store(obj, value, order)
#define VARIANT_BUILTIN_EXCHANGE __c11_atomic_exchange
#define VARIANT_BUILTIN_FETCH_ADD __c11_atomic_fetch_add
#define VARIANT_BUILTIN_FETCH_SUB __c11_atomic_fetch_sub
#define VARIANT_BUILTIN_FETCH_OR __c11_atomic_fetch_or
#define VARIANT_BUILTIN_FETCH_AND __c11_atomic_fetch_and
#define VARIANT_BUILTIN_FETCH_XOR __c11_atomic_fetch_xor
#define VARIANT_BUILTIN_CAS_STRONG __c11_atomic_compare_exchange_strong
#define VARIANT_BUILTIN_CAS_WEAK __c11_atomic_compare_exchange_weak
/* clang's atomic_flag is a struct around one atomic bool. */
#define VARIANT_FLAG_OBJECT(flag) (&(flag)->_Value)
#define VARIANT_BUILTIN_FLAG_SET(obj, order) __c11_atomic_exchange(obj, 1, order)
#define VARIANT_BUILTIN_FLAG_CLEAR(obj, order) __c11_atomic_store(obj, 0, order)
#else
#define VARIANT_BUILTIN_LOAD(obj, order) __atomic_load_n(obj, order)
#define VARIANT_BUILTIN_STORE(obj, value, order) __atomic_store_n(obj, value, order)
#define VARIANT_BUILTIN_EXCHANGE __atomic_exchange_n
#define VARIANT_BUILTIN_FETCH_ADD __atomic_fetch_add
#define VARIANT_BUILTIN_FETCH_SUB __atomic_fetch_sub
#define VARIANT_BUILTIN_FETCH_OR __atomic_fetch_or
#define VARIANT_BUILTIN_FETCH_AND __atomic_fetch_and
#define VARIANT_BUILTIN_FETCH_XOR __atomic_fetch_xor
#define VARIANT_BUILTIN_CAS_STRONG(obj, expected, desired, success, failure) \
        __atomic_compare_exchange_n(obj, expected, desired, 0, success, failure)
#define VARIANT_BUILTIN_CAS_WEAK(obj, expected, desired, success, failure) \
        __atomic_compare_exchange_n(obj, expected, desired, 1, success, failure)
/* gcc's atomic_flag is one byte, set and cleared by its own builtins. */
#define VARIANT_FLAG_OBJECT(flag) (flag)
#define VARIANT_BUILTIN_FLAG_SET(obj, order) __atomic_test_and_set(obj, order)
#define VARIANT_BUILTIN_FLAG_CLEAR(obj, order) __atomic_clear(obj, order)
#endif

#ifdef ESPRESSO_VALGRIND_BUILD
#define VARIANT_ATOMIC_LOAD(obj, order)                                                      \
        __extension__({                                                                      \
                __auto_type variant_obj_ = (obj);                                            \
                int variant_order_ = (order);                                                \
                variant_atomic_before(variant_obj_, sizeof(*variant_obj_), variant_order_, false); \
                __auto_type variant_value_ = VARIANT_BUILTIN_LOAD(variant_obj_, variant_order_); \
                variant_atomic_acquired(variant_obj_, variant_order_);                       \
                variant_value_;                                                              \
        })

#define VARIANT_ATOMIC_STORE(obj, value, order)                                              \
        __extension__({                                                                      \
                __auto_type variant_obj_ = (obj);                                            \
                int variant_order_ = (order);                                                \
                variant_atomic_before(variant_obj_, sizeof(*variant_obj_), variant_order_, true); \
                variant_atomic_wrote(variant_obj_, variant_order_);                          \
                VARIANT_BUILTIN_STORE(variant_obj_, (value), variant_order_);                \
        })

/* A read-modify-write: op is the builtin (VARIANT_BUILTIN_EXCHANGE, ..._FETCH_ADD, ...). */
#define VARIANT_ATOMIC_RMW(op, obj, value, order)                                            \
        __extension__({                                                                      \
                __auto_type variant_obj_ = (obj);                                            \
                int variant_order_ = (order);                                                \
                variant_atomic_before(variant_obj_, sizeof(*variant_obj_), variant_order_, true); \
                variant_atomic_wrote(variant_obj_, variant_order_);                          \
                __auto_type variant_value_ = op(variant_obj_, (value), variant_order_);      \
                variant_atomic_acquired(variant_obj_, variant_order_);                       \
                variant_value_;                                                              \
        })

#define VARIANT_ATOMIC_CAS(op, obj, expected, desired, success, failure)                     \
        __extension__({                                                                      \
                __auto_type variant_obj_ = (obj);                                            \
                int variant_success_ = (success), variant_failure_ = (failure);              \
                variant_atomic_before(variant_obj_, sizeof(*variant_obj_), variant_success_, true); \
                bool variant_swapped_ = op(variant_obj_, (expected), (desired), variant_success_, \
                                           variant_failure_);                                \
                if (variant_swapped_)                                                        \
                        variant_atomic_wrote(variant_obj_, variant_success_);                \
                variant_atomic_acquired(variant_obj_,                                        \
                                        variant_swapped_ ? variant_success_ : variant_failure_); \
                variant_swapped_;                                                            \
        })

/* A releasing write has reached the object: later acquires of it may be told. */
void variant_atomic_wrote(const volatile void *obj, int order);

/* A flag's test-and-set is an exchange with 1, its clear a store of 0: told as those. */
#define VARIANT_ATOMIC_FLAG_SET(flag, order)                                                 \
        __extension__({                                                                      \
                __auto_type variant_obj_ = VARIANT_FLAG_OBJECT(flag);                        \
                int variant_order_ = (order);                                                \
                variant_atomic_before(variant_obj_, sizeof(*variant_obj_), variant_order_, true); \
                variant_atomic_wrote(variant_obj_, variant_order_);                          \
                bool variant_was_set_ = VARIANT_BUILTIN_FLAG_SET(variant_obj_, variant_order_); \
                variant_atomic_acquired(variant_obj_, variant_order_);                       \
                variant_was_set_;                                                            \
        })
#define VARIANT_ATOMIC_FLAG_CLEAR(flag, order)                                               \
        __extension__({                                                                      \
                __auto_type variant_obj_ = VARIANT_FLAG_OBJECT(flag);                        \
                int variant_order_ = (order);                                                \
                variant_atomic_before(variant_obj_, sizeof(*variant_obj_), variant_order_, true); \
                variant_atomic_wrote(variant_obj_, variant_order_);                          \
                VARIANT_BUILTIN_FLAG_CLEAR(variant_obj_, variant_order_);                    \
        })

#else /* the controlled build: a scheduling point before each operation, what it did after */
#include "variant_controlled.h"

/* operation uses controlled_obj_, the object evaluated once. */
#define CONTROLLED_ATOMIC(point, obj, text, operation)                                       \
        __extension__({                                                                      \
                __auto_type controlled_obj_ = (obj);                                         \
                struct controlled_bytes controlled_was_ = controlled_atomic_before(          \
                        controlled_obj_, sizeof(*controlled_obj_), point, text, __LINE__);   \
                __auto_type controlled_result_ = operation;                                  \
                controlled_atomic_after(controlled_obj_, sizeof(*controlled_obj_),           \
                                        controlled_was_, point, __LINE__);                   \
                controlled_result_;                                                          \
        })
#define CONTROLLED_ATOMIC_STORE(obj, text, store)                                            \
        __extension__({                                                                      \
                __auto_type controlled_obj_ = (obj);                                         \
                struct controlled_bytes controlled_was_ = controlled_atomic_before(          \
                        controlled_obj_, sizeof(*controlled_obj_), SCHEDULE_ATOMIC_WRITE,    \
                        text, __LINE__);                                                     \
                store;                                                                       \
                controlled_atomic_after(controlled_obj_, sizeof(*controlled_obj_),           \
                                        controlled_was_, SCHEDULE_ATOMIC_WRITE, __LINE__);   \
        })

#define VARIANT_ATOMIC_LOAD(obj, order)                                                      \
        CONTROLLED_ATOMIC(SCHEDULE_ATOMIC_READ, obj, #obj,                                   \
                          VARIANT_BUILTIN_LOAD(controlled_obj_, (order)))
#define VARIANT_ATOMIC_STORE(obj, value, order)                                              \
        CONTROLLED_ATOMIC_STORE(obj, #obj, VARIANT_BUILTIN_STORE(controlled_obj_, (value), (order)))
#define VARIANT_ATOMIC_RMW(op, obj, value, order)                                            \
        CONTROLLED_ATOMIC(SCHEDULE_ATOMIC_UPDATE, obj, #obj, op(controlled_obj_, (value), (order)))
/* A weak compare-exchange may fail spuriously on some CPUs: here it is the strong one, so that a
 * replay makes exactly the choices its run made. (A scenario must loop around a weak one anyway.) */
#define VARIANT_ATOMIC_CAS(op, obj, expected, desired, success, failure)                     \
        CONTROLLED_ATOMIC(SCHEDULE_ATOMIC_UPDATE, obj, #obj,                                 \
                          VARIANT_BUILTIN_CAS_STRONG(controlled_obj_, (expected), (desired),  \
                                                     (success), (failure)))
#define VARIANT_ATOMIC_FLAG_SET(flag, order)                                                 \
        CONTROLLED_ATOMIC(SCHEDULE_ATOMIC_UPDATE, VARIANT_FLAG_OBJECT(flag), #flag,          \
                          VARIANT_BUILTIN_FLAG_SET(controlled_obj_, (order)))
#define VARIANT_ATOMIC_FLAG_CLEAR(flag, order)                                               \
        CONTROLLED_ATOMIC_STORE(VARIANT_FLAG_OBJECT(flag), #flag,                            \
                                VARIANT_BUILTIN_FLAG_CLEAR(controlled_obj_, (order)))
#endif


#undef atomic_load
#undef atomic_load_explicit
#undef atomic_store
#undef atomic_store_explicit
#undef atomic_exchange
#undef atomic_exchange_explicit
#undef atomic_compare_exchange_strong
#undef atomic_compare_exchange_strong_explicit
#undef atomic_compare_exchange_weak
#undef atomic_compare_exchange_weak_explicit
#undef atomic_fetch_add
#undef atomic_fetch_add_explicit
#undef atomic_fetch_sub
#undef atomic_fetch_sub_explicit
#undef atomic_fetch_or
#undef atomic_fetch_or_explicit
#undef atomic_fetch_and
#undef atomic_fetch_and_explicit
#undef atomic_fetch_xor
#undef atomic_fetch_xor_explicit
#undef atomic_flag_test_and_set
#undef atomic_flag_test_and_set_explicit
#undef atomic_flag_clear
#undef atomic_flag_clear_explicit

#define atomic_load_explicit(obj, order) VARIANT_ATOMIC_LOAD(obj, order)
#define atomic_load(obj) VARIANT_ATOMIC_LOAD(obj, memory_order_seq_cst)
#define atomic_store_explicit(obj, value, order) VARIANT_ATOMIC_STORE(obj, value, order)
#define atomic_store(obj, value) VARIANT_ATOMIC_STORE(obj, value, memory_order_seq_cst)
#define atomic_exchange_explicit(obj, value, order) \
        VARIANT_ATOMIC_RMW(VARIANT_BUILTIN_EXCHANGE, obj, value, order)
#define atomic_exchange(obj, value) \
        VARIANT_ATOMIC_RMW(VARIANT_BUILTIN_EXCHANGE, obj, value, memory_order_seq_cst)
#define atomic_fetch_add_explicit(obj, value, order) \
        VARIANT_ATOMIC_RMW(VARIANT_BUILTIN_FETCH_ADD, obj, value, order)
#define atomic_fetch_add(obj, value) \
        VARIANT_ATOMIC_RMW(VARIANT_BUILTIN_FETCH_ADD, obj, value, memory_order_seq_cst)
#define atomic_fetch_sub_explicit(obj, value, order) \
        VARIANT_ATOMIC_RMW(VARIANT_BUILTIN_FETCH_SUB, obj, value, order)
#define atomic_fetch_sub(obj, value) \
        VARIANT_ATOMIC_RMW(VARIANT_BUILTIN_FETCH_SUB, obj, value, memory_order_seq_cst)
#define atomic_fetch_or_explicit(obj, value, order) \
        VARIANT_ATOMIC_RMW(VARIANT_BUILTIN_FETCH_OR, obj, value, order)
#define atomic_fetch_or(obj, value) \
        VARIANT_ATOMIC_RMW(VARIANT_BUILTIN_FETCH_OR, obj, value, memory_order_seq_cst)
#define atomic_fetch_and_explicit(obj, value, order) \
        VARIANT_ATOMIC_RMW(VARIANT_BUILTIN_FETCH_AND, obj, value, order)
#define atomic_fetch_and(obj, value) \
        VARIANT_ATOMIC_RMW(VARIANT_BUILTIN_FETCH_AND, obj, value, memory_order_seq_cst)
#define atomic_fetch_xor_explicit(obj, value, order) \
        VARIANT_ATOMIC_RMW(VARIANT_BUILTIN_FETCH_XOR, obj, value, order)
#define atomic_fetch_xor(obj, value) \
        VARIANT_ATOMIC_RMW(VARIANT_BUILTIN_FETCH_XOR, obj, value, memory_order_seq_cst)
#define atomic_compare_exchange_strong_explicit(obj, expected, desired, success, failure) \
        VARIANT_ATOMIC_CAS(VARIANT_BUILTIN_CAS_STRONG, obj, expected, desired, success, failure)
#define atomic_compare_exchange_strong(obj, expected, desired)                              \
        VARIANT_ATOMIC_CAS(VARIANT_BUILTIN_CAS_STRONG, obj, expected, desired,    \
                           memory_order_seq_cst, memory_order_seq_cst)
#define atomic_compare_exchange_weak_explicit(obj, expected, desired, success, failure) \
        VARIANT_ATOMIC_CAS(VARIANT_BUILTIN_CAS_WEAK, obj, expected, desired, success, failure)
#define atomic_compare_exchange_weak(obj, expected, desired)                                \
        VARIANT_ATOMIC_CAS(VARIANT_BUILTIN_CAS_WEAK, obj, expected, desired,      \
                           memory_order_seq_cst, memory_order_seq_cst)
#define atomic_flag_test_and_set_explicit(flag, order) VARIANT_ATOMIC_FLAG_SET(flag, order)
#define atomic_flag_test_and_set(flag) VARIANT_ATOMIC_FLAG_SET(flag, memory_order_seq_cst)
#define atomic_flag_clear_explicit(flag, order) VARIANT_ATOMIC_FLAG_CLEAR(flag, order)
#define atomic_flag_clear(flag) VARIANT_ATOMIC_FLAG_CLEAR(flag, memory_order_seq_cst)

#endif
#endif
