// Catch2 v2 main, compiled once per build tree. Test cases live in the other tests/unit/*.cpp files.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
