// tl::tl_compiled: the definitions of tl/utils, compiled once (see include/tl/core/config.hpp). The only translation
// unit that includes <curl/curl.h> (and, with TL_HAVE_OPENSSL, OpenSSL's <openssl/evp.h>).
#include <tl/utils/detail/impl/download-inl.hpp>
#include <tl/utils/detail/impl/hash-inl.hpp>
#include <tl/utils/impl/get_file-inl.hpp>
#include <tl/utils/impl/image_dataset-inl.hpp>
#include <tl/utils/impl/progbar-inl.hpp>
#include <tl/utils/impl/sequence-inl.hpp>
