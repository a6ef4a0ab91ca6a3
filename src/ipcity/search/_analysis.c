/* The per-token loops of ipcity.search.segment, compiled: analyze() and shingles().
 *
 * segment.py holds the reference implementation and the definition of what the index holds; this module does the
 * same loops without the interpreter (on a large import they are most of the index helper's time). It is optional:
 * segment.py uses it when it was built (setup.py, a C compiler) and rjieba is the segmenter, and its own Python loops
 * otherwise; src/ipcity/search/tests/test_analysis_compiled.py checks that both give identical tokens.
 *
 * analyze_core(norm, base, offset, precise, cut_all, terms, index_term) -> list[(term, position, start, end)]
 *   norm: the normalized text; precise(piece) -> [(word, start, end)] (the precise segmentation of a piece);
 *   cut_all(piece) -> [word] (full mode); terms: the word -> index term cache (None: punctuation, "": a stop
 *   character); index_term(word) fills a missing entry.
 * shingles_core(tokens) -> list[(pair, position, start, end)] or None when the tokens' positions are not in
 *   non-decreasing order (the Python version handles any order).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject *term; /* owned */
    Py_ssize_t position, start, end, seq;
} Tok;

typedef struct {
    Tok *items;
    Py_ssize_t n, cap;
} TokVec;

static int
tv_push(TokVec *v, PyObject *term /* stolen */, Py_ssize_t position, Py_ssize_t start, Py_ssize_t end)
{
    if (v->n == v->cap) {
        Py_ssize_t cap = v->cap ? v->cap * 2 : 256;
        Tok *grown = PyMem_Realloc(v->items, (size_t)cap * sizeof(Tok));
        if (grown == NULL) {
            Py_DECREF(term);
            PyErr_NoMemory();
            return -1;
        }
        v->items = grown;
        v->cap = cap;
    }
    v->items[v->n].term = term;
    v->items[v->n].position = position;
    v->items[v->n].start = start;
    v->items[v->n].end = end;
    v->items[v->n].seq = v->n;
    v->n++;
    return 0;
}

static void
tv_free(TokVec *v)
{
    for (Py_ssize_t i = 0; i < v->n; i++)
        Py_XDECREF(v->items[i].term);
    PyMem_Free(v->items);
    v->items = NULL;
    v->n = v->cap = 0;
}

typedef struct {
    Py_ssize_t *start;   /* starts of punctuation runs (ascending) */
    Py_ssize_t *skipped; /* skipped[k]: characters skipped up to and including gap k-1; skipped[0] = 0 */
    Py_ssize_t n, cap;   /* n gaps; skipped has n + 1 entries */
} Gaps;

static int
gaps_push(Gaps *g, Py_ssize_t start, Py_ssize_t width)
{
    if (g->n + 1 >= g->cap) {
        Py_ssize_t cap = g->cap ? g->cap * 2 : 64;
        Py_ssize_t *s = PyMem_Realloc(g->start, (size_t)cap * sizeof(Py_ssize_t));
        if (s == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        g->start = s;
        Py_ssize_t *k = PyMem_Realloc(g->skipped, (size_t)(cap + 1) * sizeof(Py_ssize_t));
        if (k == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        g->skipped = k;
        if (g->cap == 0)
            g->skipped[0] = 0;
        g->cap = cap;
    }
    g->start[g->n] = start;
    g->skipped[g->n + 1] = g->skipped[g->n] + width;
    g->n++;
    return 0;
}

/* skipped[bisect_right(gaps, start)] */
static Py_ssize_t
gaps_skipped_before(const Gaps *g, Py_ssize_t start)
{
    Py_ssize_t lo = 0, hi = g->n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (start < g->start[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return g->n ? g->skipped[lo] : 0;
}

static inline int
is_ascii_alnum(Py_UCS4 c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int
is_ascii_digit(Py_UCS4 c)
{
    return c >= '0' && c <= '9';
}

/* terms[word], filled by index_term(word) (or word.lower() when index_term is NULL) on a miss: a new reference. */
static PyObject *
term_for(PyObject *terms, PyObject *word, PyObject *index_term)
{
    PyObject *term = PyDict_GetItemWithError(terms, word);
    if (term != NULL) {
        Py_INCREF(term);
        return term;
    }
    if (PyErr_Occurred())
        return NULL;
    term = index_term ? PyObject_CallOneArg(index_term, word) : PyObject_CallMethod(word, "lower", NULL);
    if (term == NULL)
        return NULL;
    if (PyDict_SetItem(terms, word, term) < 0) {
        Py_DECREF(term);
        return NULL;
    }
    return term;
}

static int
tok_compare(const void *a, const void *b)
{
    const Tok *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

typedef struct {
    Py_ssize_t base, offset, shift;
    PyObject *terms, *index_term;
    TokVec *out;
    Gaps *gaps;
} State;

static int
ascii_run(State *st, PyObject *norm, Py_ssize_t from, Py_ssize_t to)
{
    int kind = PyUnicode_KIND(norm);
    const void *data = PyUnicode_DATA(norm);
    Py_ssize_t i = from;
    while (i < to) {
        int digits = is_ascii_digit(PyUnicode_READ(kind, data, i));
        Py_ssize_t j = i + 1;
        while (j < to && is_ascii_digit(PyUnicode_READ(kind, data, j)) == digits)
            j++;
        PyObject *word = PyUnicode_Substring(norm, i, j);
        if (word == NULL)
            return -1;
        PyObject *term = term_for(st->terms, word, NULL);
        Py_DECREF(word);
        if (term == NULL)
            return -1;
        if (tv_push(st->out, term, i + st->shift, i + st->offset, j + st->offset) < 0)
            return -1;
        i = j;
    }
    return 0;
}

/* The precise words, then the other dictionary words, of one piece (no ASCII letters or digits) at offset `at`. */
static int
segmented_piece(State *st, PyObject *piece, Py_ssize_t at, PyObject *precise, PyObject *cut_all)
{
    Py_ssize_t length = PyUnicode_GET_LENGTH(piece);
    Py_ssize_t *precise_end = NULL; /* the end of the indexed precise word of 2+ characters starting there, or -1 */
    PyObject *tokens = NULL, *words = NULL;
    PyObject *seen[64]; /* the words met at the current start: fewer than the longest dictionary word has characters */
    Py_ssize_t n_seen = 0;
    int result = -1;

    precise_end = PyMem_Malloc((size_t)(length + 1) * sizeof(Py_ssize_t));
    if (precise_end == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i <= length; i++)
        precise_end[i] = -1;

    tokens = PyObject_CallOneArg(precise, piece);
    if (tokens == NULL)
        goto done;
    PyObject *seq = PySequence_Fast(tokens, "precise() must return a sequence");
    if (seq == NULL)
        goto done;
    Py_SETREF(tokens, seq);
    Py_ssize_t n = PySequence_Fast_GET_SIZE(tokens);
    PyObject **items = PySequence_Fast_ITEMS(tokens);
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *item = items[k];
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 3) {
            PyErr_SetString(PyExc_TypeError, "precise() must give (word, start, end) tuples");
            goto done;
        }
        PyObject *word = PyTuple_GET_ITEM(item, 0);
        Py_ssize_t start = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 1));
        Py_ssize_t end = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 2));
        if ((start == -1 || end == -1) && PyErr_Occurred())
            goto done;
        if (!PyUnicode_Check(word) || start < 0 || end > length || start > end) {
            PyErr_SetString(PyExc_ValueError, "precise() gave a token outside its text");
            goto done;
        }
        PyObject *term = term_for(st->terms, word, st->index_term);
        if (term == NULL)
            goto done;
        if (term == Py_None) { /* punctuation or spaces: positions close up over them */
            Py_DECREF(term);
            if (gaps_push(st->gaps, start + at, end - start) < 0)
                goto done;
            st->shift = st->base - st->gaps->skipped[st->gaps->n];
            continue;
        }
        if (!PyUnicode_Check(term)) {
            Py_DECREF(term);
            PyErr_SetString(PyExc_TypeError, "index terms must be str or None");
            goto done;
        }
        if (PyUnicode_GET_LENGTH(term) == 0) { /* a stop character: keeps its place */
            Py_DECREF(term);
            continue;
        }
        if (PyUnicode_GET_LENGTH(word) > 1)
            precise_end[start] = end;
        if (tv_push(st->out, term, start + at + st->shift, start + at + st->offset, end + at + st->offset) < 0)
            goto done;
    }

    words = PyObject_CallOneArg(cut_all, piece);
    if (words == NULL)
        goto done;
    seq = PySequence_Fast(words, "cut_all() must return a sequence");
    if (seq == NULL)
        goto done;
    Py_SETREF(words, seq);
    n = PySequence_Fast_GET_SIZE(words);
    items = PySequence_Fast_ITEMS(words);
    /* Full mode lists every word at every start, by start (and by length at one start); so the first occurrence
       from the current start is the word's own, unless it already started there (segment.dictionary_words). */
    Py_ssize_t cur = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *word = items[k];
        if (!PyUnicode_Check(word)) {
            PyErr_SetString(PyExc_TypeError, "cut_all() must give str");
            goto done;
        }
        Py_ssize_t width = PyUnicode_GET_LENGTH(word);
        if (width < 2)
            continue;
        Py_ssize_t start = PyUnicode_Find(piece, word, cur, length, 1);
        if (start == -2)
            goto done;
        if (start == cur) {
            int again = 0;
            for (Py_ssize_t s = 0; s < n_seen; s++) {
                int cmp = PyUnicode_Compare(seen[s], word);
                if (cmp == -1 && PyErr_Occurred())
                    goto done;
                if (cmp == 0) {
                    again = 1;
                    break;
                }
            }
            if (again) {
                start = PyUnicode_Find(piece, word, cur + 1, length, 1);
                if (start == -2)
                    goto done;
                if (start < 0)
                    continue;
                cur = start;
                n_seen = 0;
            }
        }
        else if (start < 0) {
            continue;
        }
        else {
            cur = start;
            n_seen = 0;
        }
        if (n_seen < 64)
            seen[n_seen++] = word; /* borrowed from `words`, which lives until the end */
        else {
            PyErr_SetString(PyExc_RuntimeError, "more than 64 dictionary words at one start");
            goto done;
        }
        Py_ssize_t end = start + width;
        if (precise_end[start] == end)
            continue;
        PyObject *term = PyObject_CallMethod(word, "lower", NULL);
        if (term == NULL)
            goto done;
        Py_ssize_t absolute = start + at;
        if (tv_push(st->out, term, st->base + absolute - gaps_skipped_before(st->gaps, absolute),
                    absolute + st->offset, end + at + st->offset) < 0)
            goto done;
    }
    result = 0;
done:
    PyMem_Free(precise_end);
    Py_XDECREF(tokens);
    Py_XDECREF(words);
    return result;
}

static PyObject *
analyze_core(PyObject *module, PyObject *args)
{
    PyObject *norm, *precise, *cut_all, *terms, *index_term;
    Py_ssize_t base, offset;
    if (!PyArg_ParseTuple(args, "UnnOOO!O:analyze_core", &norm, &base, &offset, &precise, &cut_all, &PyDict_Type,
                          &terms, &index_term))
        return NULL;
    TokVec out = {0};
    Gaps gaps = {0};
    State st = {base, offset, base, terms, index_term, &out, &gaps};
    PyObject *result = NULL;
    Py_ssize_t length = PyUnicode_GET_LENGTH(norm);
    int kind = PyUnicode_KIND(norm);
    const void *data = PyUnicode_DATA(norm);

    /* The pieces segment.tokenize cuts: runs of ASCII letters and digits, and the text between them. */
    Py_ssize_t done = 0, i = 0;
    while (i <= length) {
        if (i < length && !is_ascii_alnum(PyUnicode_READ(kind, data, i))) {
            i++;
            continue;
        }
        if (i > done) {
            PyObject *piece = PyUnicode_Substring(norm, done, i);
            if (piece == NULL)
                goto fail;
            int rc = segmented_piece(&st, piece, done, precise, cut_all);
            Py_DECREF(piece);
            if (rc < 0)
                goto fail;
        }
        if (i == length)
            break;
        Py_ssize_t j = i + 1;
        while (j < length && is_ascii_alnum(PyUnicode_READ(kind, data, j)))
            j++;
        if (ascii_run(&st, norm, i, j) < 0)
            goto fail;
        done = i = j;
        if (i == length)
            break;
    }

    /* tantivy wants each term's positions in increasing order: one stable sort by start puts all in order. */
    if (out.n > 1)
        qsort(out.items, (size_t)out.n, sizeof(Tok), tok_compare);
    result = PyList_New(out.n);
    if (result == NULL)
        goto fail;
    for (Py_ssize_t k = 0; k < out.n; k++) {
        Tok *t = &out.items[k];
        PyObject *tuple = Py_BuildValue("(Onnn)", t->term, t->position, t->start, t->end);
        if (tuple == NULL) {
            Py_CLEAR(result);
            goto fail;
        }
        PyList_SET_ITEM(result, k, tuple);
    }
fail:
    tv_free(&out);
    PyMem_Free(gaps.start);
    PyMem_Free(gaps.skipped);
    return result;
}

/* Two or more CJK ideographs (U+3400..U+9FFF): segment._pairable. */
static int
pairable(PyObject *term)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(term);
    if (n < 2)
        return 0;
    int kind = PyUnicode_KIND(term);
    if (kind == PyUnicode_1BYTE_KIND)
        return 0;
    const void *data = PyUnicode_DATA(term);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x3400 || c > 0x9FFF)
            return 0;
    }
    return 1;
}

typedef struct {
    PyObject *term; /* borrowed from the tokens */
    Py_ssize_t position, start, end, length;
} Word;

static PyObject *
shingles_core(PyObject *module, PyObject *args)
{
    PyObject *tokens, *join;
    if (!PyArg_ParseTuple(args, "O!U:shingles_core", &PyList_Type, &tokens, &join))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(tokens);
    Word *words = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(Word));
    if (words == NULL)
        return PyErr_NoMemory();
    PyObject *out = NULL;
    Py_ssize_t m = 0, last = PY_SSIZE_T_MIN;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *item = PyList_GET_ITEM(tokens, k);
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 4 || !PyUnicode_Check(PyTuple_GET_ITEM(item, 0))) {
            PyErr_SetString(PyExc_TypeError, "tokens must be (term, position, start, end) tuples");
            goto done;
        }
        Py_ssize_t position = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 1));
        if (position == -1 && PyErr_Occurred())
            goto done;
        if (position < last) { /* not in position order: the caller falls back to the Python version */
            PyMem_Free(words);
            Py_RETURN_NONE;
        }
        last = position;
        PyObject *term = PyTuple_GET_ITEM(item, 0);
        if (!pairable(term))
            continue;
        Py_ssize_t start = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 2));
        Py_ssize_t end = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 3));
        if ((start == -1 || end == -1) && PyErr_Occurred())
            goto done;
        words[m].term = term;
        words[m].position = position;
        words[m].start = start;
        words[m].end = end;
        words[m].length = PyUnicode_GET_LENGTH(term);
        m++;
    }
    out = PyList_New(0);
    if (out == NULL)
        goto done;
    /* For each pairable word in order, the pairable words at the position right after it, in order. */
    for (Py_ssize_t a = 0; a < m; a++) {
        Py_ssize_t want = words[a].position + words[a].length;
        Py_ssize_t lo = a + 1, hi = m;
        while (lo < hi) { /* the first word at a position >= want */
            Py_ssize_t mid = (lo + hi) / 2;
            if (words[mid].position < want)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (Py_ssize_t b = lo; b < m && words[b].position == want; b++) {
            PyObject *head = PyUnicode_Concat(words[a].term, join);
            if (head == NULL)
                goto fail;
            PyObject *pair = PyUnicode_Concat(head, words[b].term);
            Py_DECREF(head);
            if (pair == NULL)
                goto fail;
            PyObject *tuple = Py_BuildValue("(Nnnn)", pair, words[a].position, words[a].start, words[b].end);
            if (tuple == NULL)
                goto fail;
            int rc = PyList_Append(out, tuple);
            Py_DECREF(tuple);
            if (rc < 0)
                goto fail;
        }
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    PyMem_Free(words);
    return out;
}

static PyMethodDef methods[] = {
    {"analyze_core", analyze_core, METH_VARARGS, "segment.analyze's loops (see the module comment)."},
    {"shingles_core", shingles_core, METH_VARARGS, "segment.shingles's loops (see the module comment)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_analysis", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__analysis(void)
{
    return PyModule_Create(&module);
}
