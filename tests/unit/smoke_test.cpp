#include <gtest/gtest.h>

#include "engine/money.hpp"

TEST(Smoke, FormatsAmount) { EXPECT_EQ(matchfund::format_amount(1230, 2), "12.30"); }
