#ifndef VMGATE_CPCRE2_SHIM_H
#define VMGATE_CPCRE2_SHIM_H
// PCRE2's 8-bit library; the generic names are macros, so Swift calls the `_8` functions.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif
