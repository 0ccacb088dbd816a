// The body of each layer's link check (see models/CMakeLists.txt). The layer's library is
// linked whole, so every function any of its objects calls must be found in that layer or in
// the layers it names; nothing here runs.
int main()
{
    return 0;
}
