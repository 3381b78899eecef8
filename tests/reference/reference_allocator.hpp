// Placeholder: the reference allocator is being written.
#pragma once
