// tl::tl_compiled: the definitions of tl/preprocessing, compiled once (see include/tl/core/config.hpp). stb_image
// and stb_image_write are compiled here, and only here (detail/impl/stb_codec-inl.hpp); so are the decoders that
// include <jpeglib.h> and <zlib.h>.
#include <tl/preprocessing/image/detail/impl/batch_iterator-inl.hpp>
#include <tl/preprocessing/image/detail/impl/bmp_decoder-inl.hpp>
#include <tl/preprocessing/image/detail/impl/decoded_image-inl.hpp>
#include <tl/preprocessing/image/detail/impl/decoders-inl.hpp>
#include <tl/preprocessing/image/detail/impl/gif_decoder-inl.hpp>
#include <tl/preprocessing/image/detail/impl/jpeg_decoder-inl.hpp>
#include <tl/preprocessing/image/detail/impl/list_files-inl.hpp>
#include <tl/preprocessing/image/detail/impl/numpy_random-inl.hpp>
#include <tl/preprocessing/image/detail/impl/pil_codec-inl.hpp>
#include <tl/preprocessing/image/detail/impl/pil_convert-inl.hpp>
#include <tl/preprocessing/image/detail/impl/pil_resize-inl.hpp>
#include <tl/preprocessing/image/detail/impl/png_decoder-inl.hpp>
#include <tl/preprocessing/image/detail/impl/pnm_decoder-inl.hpp>
#include <tl/preprocessing/image/detail/impl/stb_codec-inl.hpp>
#include <tl/preprocessing/image/detail/impl/thread_pool-inl.hpp>
#include <tl/preprocessing/image/impl/affine-inl.hpp>
#include <tl/preprocessing/image/impl/decode-inl.hpp>
#include <tl/preprocessing/image/impl/directory_iterator-inl.hpp>
#include <tl/preprocessing/image/impl/image_data_generator-inl.hpp>
#include <tl/preprocessing/image/impl/img_to_array-inl.hpp>
#include <tl/preprocessing/image/impl/iterator_options-inl.hpp>
#include <tl/preprocessing/image/impl/load_img-inl.hpp>
#include <tl/preprocessing/image/impl/numpy_array_iterator-inl.hpp>
#include <tl/preprocessing/image/impl/pil_image-inl.hpp>
#include <tl/preprocessing/image/impl/tf_image-inl.hpp>
#include <tl/preprocessing/image/impl/transform_params-inl.hpp>
