// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Every settings key, in one place.
namespace agentbay::workspace::SettingsKeys {
inline constexpr char DefaultLanguage[] = "run/defaultLanguage";
inline constexpr char DefaultTimeout[] = "run/defaultTimeoutSeconds";
inline constexpr char WindowGeometry[] = "window/geometry";
inline constexpr char WindowState[] = "window/state";
inline constexpr char Theme[] = "appearance/theme";
inline constexpr char EditorFontFamily[] = "editor/fontFamily";
inline constexpr char EditorFontSize[] = "editor/fontSize";
inline constexpr char EditorAutoComplete[] = "editor/autoComplete";
inline constexpr char EditorLint[] = "editor/lintWhileTyping";
inline constexpr char AutosaveInterval[] = "editor/autosaveSeconds";
inline constexpr char CurrentProfile[] = "profiles/current";
inline constexpr char ProfileGroup[] = "profiles"; // profiles/<id>/endpoint, profiles/<id>/region
inline constexpr char WelcomeShown[] = "firstRun/welcomeShown";
inline constexpr char SnippetFolder[] = "snippets/folder";
inline constexpr char HistoryMaximumRuns[] = "history/maximumRuns";
inline constexpr char HistoryMaximumMiB[] = "history/maximumMiB";
} // namespace agentbay::workspace::SettingsKeys
