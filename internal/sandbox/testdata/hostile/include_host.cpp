// Includes a file of the host's at compile time: HOST_FILE is its
// absolute path (given with -D). The compile must fail without showing
// the file's text.
#include HOST_FILE
int main() { return 0; }
