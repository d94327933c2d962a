// Compiles the shared precompiled header (main.cpp cannot: it must include Catch itself, after CATCH_CONFIG_MAIN).
