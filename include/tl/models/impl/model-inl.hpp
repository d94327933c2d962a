#pragma once
#include <tl/models/model.hpp>

#include <utility>

namespace tl::models {

TL_INLINE Model::Model(const KerasTensor& inputs, const KerasTensor& outputs, const std::string& name)
    : ModelHandle(std::make_shared<ModelImpl>(std::vector{inputs}, std::vector{outputs}, name)) {}

TL_INLINE Model::Model(std::vector<KerasTensor> inputs, const KerasTensor& outputs, const std::string& name)
    : ModelHandle(std::make_shared<ModelImpl>(std::move(inputs), std::vector{outputs}, name)) {}

}  // namespace tl::models
