#pragma once
// keras.Model, keras.Sequential and summary().
#include <tl/models/model.hpp>
#include <tl/models/sequential.hpp>
