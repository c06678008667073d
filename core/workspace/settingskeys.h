// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Every settings key, in one place.
namespace agentbay::workspace::SettingsKeys {
inline constexpr char DefaultLanguage[] = "run/defaultLanguage";
inline constexpr char DefaultTimeout[] = "run/defaultTimeoutSeconds";
inline constexpr char WindowGeometry[] = "window/geometry";
inline constexpr char WindowState[] = "window/state";
} // namespace agentbay::workspace::SettingsKeys
