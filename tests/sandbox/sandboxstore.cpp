#include "sandboxstore.h"
