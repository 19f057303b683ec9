// File: base/thread_annotations.h
//
// Clang thread-safety annotations (checked with -Wthread-safety on clang; no-ops elsewhere).
//
//   std::mutex mu_;
//   int count_ TB_GUARDED_BY(mu_);
#pragma once

#if defined(__clang__)
#define TB_THREAD_ANNOTATION_(x) __attribute__((x))
#else
#define TB_THREAD_ANNOTATION_(x)
#endif

#define TB_GUARDED_BY(x) TB_THREAD_ANNOTATION_(guarded_by(x))
#define TB_PT_GUARDED_BY(x) TB_THREAD_ANNOTATION_(pt_guarded_by(x))
#define TB_REQUIRES(...) TB_THREAD_ANNOTATION_(requires_capability(__VA_ARGS__))
#define TB_EXCLUDES(...) TB_THREAD_ANNOTATION_(locks_excluded(__VA_ARGS__))
