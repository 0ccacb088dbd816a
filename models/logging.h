#pragma once

#include <QLoggingCategory>

// All logging categories, in one place. Each defaults to QtInfoMsg; turn on
// debug output with QT_LOGGING_RULES="lightfield.*.debug=true". Never log the API key, and
// never log field values at info level.
Q_DECLARE_LOGGING_CATEGORY(lcApp)
Q_DECLARE_LOGGING_CATEGORY(lcNet)
Q_DECLARE_LOGGING_CATEGORY(lcCache)
Q_DECLARE_LOGGING_CATEGORY(lcOutbox)
Q_DECLARE_LOGGING_CATEGORY(lcSync)
Q_DECLARE_LOGGING_CATEGORY(lcModels)
Q_DECLARE_LOGGING_CATEGORY(lcForms)
