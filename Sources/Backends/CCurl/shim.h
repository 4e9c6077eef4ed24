#ifndef VMGATE_CCURL_SHIM_H
#define VMGATE_CCURL_SHIM_H

#include <curl/curl.h>

/* Typed wrappers for libcurl's variadic setters and getters, which Swift cannot call. */

/// Sets a `long` option on an easy handle.
static inline CURLcode vmgate_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets a string option on an easy handle (libcurl copies the string).
static inline CURLcode vmgate_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets a pointer option (write data, header data) on an easy handle.
static inline CURLcode vmgate_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets a header list option on an easy handle.
static inline CURLcode vmgate_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets a `curl_off_t` option on an easy handle.
static inline CURLcode vmgate_curl_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// The signature of `CURLOPT_WRITEFUNCTION` / `CURLOPT_HEADERFUNCTION` callbacks.
typedef size_t (*vmgate_curl_write_callback)(char *data, size_t size, size_t count, void *context);

/// Sets a write or header callback on an easy handle.
static inline CURLcode vmgate_curl_easy_setopt_write(CURL *handle, CURLoption option, vmgate_curl_write_callback value) {
    return curl_easy_setopt(handle, option, value);
}

/// The signature of `CURLOPT_READFUNCTION` callbacks (a request body streamed from a file).
typedef size_t (*vmgate_curl_read_callback)(char *buffer, size_t size, size_t count, void *context);

/// Sets a read callback on an easy handle.
static inline CURLcode vmgate_curl_easy_setopt_read(CURL *handle, CURLoption option, vmgate_curl_read_callback value) {
    return curl_easy_setopt(handle, option, value);
}

/// The signature of `CURLOPT_XFERINFOFUNCTION` callbacks; a non-zero return aborts the transfer.
typedef int (*vmgate_curl_xferinfo_callback)(void *context, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                                             curl_off_t ulnow);

/// Sets a progress callback on an easy handle.
static inline CURLcode vmgate_curl_easy_setopt_xferinfo(CURL *handle, vmgate_curl_xferinfo_callback value) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value);
}

/// Reads a `long` value (response code) from an easy handle.
static inline CURLcode vmgate_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// Reads a `double` value (timings) from an easy handle.
static inline CURLcode vmgate_curl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// Reads a string value (content type) from an easy handle; the string belongs to the handle.
static inline CURLcode vmgate_curl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

/// Selects HTTP basic authentication (`CURLAUTH_BASIC` is a macro Swift cannot import).
static inline CURLcode vmgate_curl_easy_use_basic_auth(CURL *handle) {
    return curl_easy_setopt(handle, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
}

/// Sets a `long` option on a multi handle.
static inline CURLMcode vmgate_curl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

#endif
