// tl::tl_compiled: the definitions of tl/applications, compiled once (see include/tl/core/config.hpp).
// TRANSITION: models/functional.hpp uses backend:: without including its header (in header-only mode the layers'
// -inl files bring it in); drop this line once it does.
#include <tl/core/backend.hpp>
#include <tl/applications/detail/impl/application-inl.hpp>
#include <tl/applications/detail/impl/class_index-inl.hpp>
#include <tl/applications/detail/impl/mobile_common-inl.hpp>
#include <tl/applications/impl/by_name-inl.hpp>
#include <tl/applications/impl/densenet-inl.hpp>
#include <tl/applications/impl/efficientnet-inl.hpp>
#include <tl/applications/impl/fine_tuning-inl.hpp>
#include <tl/applications/impl/imagenet_utils-inl.hpp>
#include <tl/applications/impl/inception_resnet_v2-inl.hpp>
#include <tl/applications/impl/inception_v3-inl.hpp>
#include <tl/applications/impl/mobilenet-inl.hpp>
#include <tl/applications/impl/mobilenet_v2-inl.hpp>
#include <tl/applications/impl/mobilenet_v3-inl.hpp>
#include <tl/applications/impl/nasnet-inl.hpp>
#include <tl/applications/impl/resnet-inl.hpp>
#include <tl/applications/impl/resnet_v2-inl.hpp>
#include <tl/applications/impl/vgg-inl.hpp>
#include <tl/applications/impl/xception-inl.hpp>
