package output

import (
	"bytes"
	"encoding/json"
)

// Map is a JSON object that keeps its keys in order: the data [Value] returns for a structure
// or a map. The zero value is an empty Map ready to use. A Map is not safe for concurrent
// writes.
type Map struct {
	keys []string
	vals map[string]any
	// service and op name the SDK output a root Map was made from, for [Merge].
	service, op string
}

// NewMap returns a Map holding the key-value pairs kv (key, value, key, value, …) in order.
func NewMap(kv ...any) *Map {
	m := &Map{}
	for i := 0; i+1 < len(kv); i += 2 {
		m.Set(kv[i].(string), kv[i+1])
	}
	return m
}

// Keys returns the keys in order. The caller must not modify the slice.
func (m *Map) Keys() []string { return m.keys }

// Len returns the number of keys.
func (m *Map) Len() int { return len(m.keys) }

// Get returns the value of key and reports whether the Map has it.
func (m *Map) Get(key string) (any, bool) {
	v, ok := m.vals[key]
	return v, ok
}

// Set sets the value of key, appending key if the Map lacks it.
func (m *Map) Set(key string, v any) {
	if m.vals == nil {
		m.vals = map[string]any{}
	}
	if _, ok := m.vals[key]; !ok {
		m.keys = append(m.keys, key)
	}
	m.vals[key] = v
}

// Delete removes key.
func (m *Map) Delete(key string) {
	if _, ok := m.vals[key]; !ok {
		return
	}
	delete(m.vals, key)
	for i, k := range m.keys {
		if k == key {
			m.keys = append(m.keys[:i:i], m.keys[i+1:]...)
			break
		}
	}
}

// MarshalJSON encodes the Map as a compact JSON object in its key order.
func (m *Map) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range m.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(m.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
