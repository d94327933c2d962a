// Compiles the examples' shared precompiled header (<torch/torch.h>, see CMakeLists.txt).
