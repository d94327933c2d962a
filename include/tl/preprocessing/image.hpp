#pragma once
/// Keras's keras.preprocessing.image in C++: load_img, img_to_array, array_to_img, save_img,
/// ImageDataGenerator with flow_from_directory (DirectoryIterator) and flow (NumpyArrayIterator).
///   auto train = tl::ImageDataGenerator({.rescale = 1.0 / 255})
///                    .flow_from_directory("hot_dog/train", {.target_size = {224, 224}});
/// Images decode as Pillow 9.4 decodes them for Keras (libjpeg-turbo for JPEG, zlib for PNG, tl's own BMP, GIF and
/// PNM readers; docs/data.md), convert and resize with Pillow's arithmetic; augmentation reproduces
/// keras_preprocessing 1.1. Units (each a declaration header + impl/*-inl.hpp): decoding (decode.hpp:
/// detail/decoders.hpp for format sniffing and the per-format decoders, detail/decoded_image.hpp, detail/pil_codec.hpp,
/// detail/{jpeg,png,bmp,gif,pnm}_decoder.hpp, detail/stb_codec.hpp for TGA/PSD), conversion and resizing
/// (detail/pil_convert.hpp, detail/pil_resize.hpp, load_img.hpp), the folder scan (detail/list_files.hpp), and
/// the iterators (detail/batch_iterator.hpp with detail/thread_pool.hpp; directory_iterator.hpp,
/// numpy_array_iterator.hpp).
#include <tl/preprocessing/image/affine.hpp>
#include <tl/preprocessing/image/decode.hpp>
#include <tl/preprocessing/image/directory_iterator.hpp>
#include <tl/preprocessing/image/image_data_generator.hpp>
#include <tl/preprocessing/image/img_to_array.hpp>
#include <tl/preprocessing/image/load_img.hpp>
#include <tl/preprocessing/image/numpy_array_iterator.hpp>
#include <tl/preprocessing/image/pil_image.hpp>
#include <tl/preprocessing/image/tf_image.hpp>
#include <tl/preprocessing/image/transform_params.hpp>

namespace tl {
using preprocessing::image::array_to_img;
using preprocessing::image::DirectoryIterator;
using preprocessing::image::ImageDataGenerator;
using preprocessing::image::img_to_array;
using preprocessing::image::load_img;
using preprocessing::image::NumpyArrayIterator;
using preprocessing::image::save_img;
}  // namespace tl
