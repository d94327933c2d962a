// Catch2's main, compiled once for every test executable (without the PCH, which includes Catch without main).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
