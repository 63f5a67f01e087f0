import os


def get_data(folders):
    values = []
    for folder in folders:
        with open(os.path.join(folder, "value.txt")) as f:
            values.append(float(f.read()))
    return values
