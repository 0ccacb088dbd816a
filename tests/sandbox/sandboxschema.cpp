#include "sandboxschema.h"
