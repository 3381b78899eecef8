#include "reference/reference_allocator.hpp"
